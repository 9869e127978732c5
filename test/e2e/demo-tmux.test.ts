import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {demoPassphrase} from '../../source/demo/world.js';
import {StateStore} from '../../source/settings/state.js';
import {removeTree} from '../helpers/trees.js';
import {startTerminal, type Terminal} from '../helpers/tmux.js';

/**
 * The real `sedai demo` in a real pseudo-terminal (tmux, 80×24), driven by keystrokes only:
 * a backup to RDX-A, then a test restore of it. Asserts on the screen, then on the repository
 * and the restored folder. Needs tmux (installed by .ci/run); without it this fails, never skips.
 */
const root = path.resolve(import.meta.dirname, '../..');
let terminal: Terminal | undefined;
let demo: string;

async function tree(folder: string, prefix = ''): Promise<Map<string, Buffer>> {
	const files = new Map<string, Buffer>();
	for (const entry of await fs.readdir(folder, {withFileTypes: true})) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) {
			for (const [name, data] of await tree(full, `${prefix}${entry.name}/`)) {
				files.set(name, data);
			}
		} else if (entry.isFile()) {
			files.set(prefix + entry.name, await fs.readFile(full));
		}
	}

	return files;
}

test.before(async () => {
	// The binary under test is the built one (`npm test` builds it first).
	await fs.access(path.join(root, 'dist', 'cli.js'));
	demo = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-e2e-'));
});

test.after.always(() => {
	terminal?.kill();

	if (demo) {
		removeTree(demo);
	}
});

test('sedai demo at 80×24: keys alone run a backup and a test restore, live', async t => {
	// CI=false: with CI=true Ink renders only the last frame.
	const command = `cd ${root} && env CI=false LANG=C.UTF-8 TERM=xterm-256color SEDAI_DEMO_DIR=${demo} node dist/cli.js demo; sleep 600`;
	terminal = startTerminal(`sedai-e2e-${process.pid}`, command);
	const {keys, waitFor: waitForScreen} = terminal;
	let text = await waitForScreen(/Sakura Clinic[^\n]*● (?:RDX-A|\d)/, 120_000);
	t.regex(text, /\[Drives]/);
	t.regex(text, /RDX-B\s+offline \(on the shelf\)/);

	// Backup: tick RDX-A only (rows: source, RDX-A, RDX-B, RDX-C, NAS), then b.
	await keys('2');
	await waitForScreen(/\[Backup]/);
	await keys('Down', 'Down', 'Down', 'Space', 'Down', 'Space');
	await waitForScreen(/back up 1 source to RDX-A\s*$/m);
	await keys('b');
	text = await waitForScreen(/RDX-A #5 sealed: \d+ files/, 120_000);
	t.regex(text, /✓ done\s+Backup RDX-A/);
	const repository = await Repository.open(path.join(demo, 'bays', 'RDX-A', 'media', 'sedai'), demoPassphrase);
	const {generations} = await repository.listGenerations();
	t.is(generations.length, 5);
	t.is(generations.at(-1)!.seq, 5);

	// Test restore: the newest online generation is RDX-A #5, first in the Restore list.
	await keys('4');
	text = await waitForScreen(/test restore RDX-A #5/);
	await keys('r');
	text = await waitForScreen(/all match byte for byte/, 120_000);
	t.regex(text, /RTO \(restore time\): [\d.]+ (ms|s)/);
	const drill = new StateStore(path.join(demo, 'home')).drills().at(-1)!;
	t.true(drill.ok);
	t.true(drill.into.startsWith(path.join(demo, 'scratch')));
	const restored = await tree(path.join(drill.into, 'clinic'));
	const original = await tree(path.join(demo, 'clinic'));
	t.deepEqual([...restored.keys()].sort(), [...original.keys()].sort());
	for (const [name, data] of original) {
		t.true(restored.get(name)!.equals(data), `restored ${name}`);
	}

	// Quit: q, then y.
	await keys('q');
	await waitForScreen(/Quit Sedai\?/);
	await keys('y');
	text = await waitForScreen(/^(?![\s\S]*Sakura Clinic)/, 30_000);
	t.notRegex(text, /\[Restore]/);
});
