import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {ensureDemoWorld, type DemoWorld} from '../../source/demo/world.js';
import {removeTree} from '../helpers/trees.js';

/**
 * The demo's history ends at `now`; its oldest generation is 9 days 2 hours earlier. Tests read
 * which retention rules keep which generation, and a weekly or monthly rule keeps the oldest one
 * only when it is the last of its week or month: pick a `now` (at most two days back) whose oldest
 * generation falls neither on a Sunday nor on a month's last day, so tests do not depend on the date.
 */
function calendarSafeNow(): Date {
	const dayMs = 86_400_000;
	for (let back = 0; ; back++) {
		const now = new Date(Date.now() - (back * dayMs));
		const oldest = new Date(now.getTime() - (9 * dayMs) - (2 * 3_600_000));
		const nextDay = new Date(oldest.getTime() + dayMs);
		if (oldest.getDay() !== 0 && nextDay.getMonth() === oldest.getMonth()) {
			return now;
		}
	}
}

/**
 * A real demo world (sample clinic, file-backed cartridges with generations) in a temp folder,
 * with SEDAI_DEMO_DIR and SEDAI_HOME pointing at it for this test process.
 */
export async function demoFixture(): Promise<DemoWorld & {cleanup: () => Promise<void>}> {
	const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-ui-'));
	const world = await ensureDemoWorld({root, now: calendarSafeNow()});
	process.env['SEDAI_DEMO_DIR'] = world.root;
	process.env['SEDAI_HOME'] = world.home;
	return {...world, async cleanup() {
		removeTree(root);
	}};
}
