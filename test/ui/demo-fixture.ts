import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {ensureDemoWorld, type DemoWorld} from '../../source/demo/world.js';
import {removeTree} from '../helpers/trees.js';

/**
 * A real demo world (sample clinic, file-backed cartridges with generations) in a temp folder,
 * with SEDAI_DEMO_DIR and SEDAI_HOME pointing at it for this test process.
 */
export async function demoFixture(): Promise<DemoWorld & {cleanup: () => Promise<void>}> {
	const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-ui-'));
	const world = await ensureDemoWorld({root});
	process.env['SEDAI_DEMO_DIR'] = world.root;
	process.env['SEDAI_HOME'] = world.home;
	return {...world, async cleanup() {
		removeTree(root);
	}};
}
