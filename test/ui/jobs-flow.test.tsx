import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {type Session} from '../../source/app/session.js';
import {Repository} from '../../source/core/repository/repository.js';
import {demoPassphrase} from '../../source/demo/world.js';
import {makeMutable} from '../helpers/trees.js';
import {renderMessage} from '../../source/text/messages/render.js';
import {keys, type Rendered} from './render-helper.js';
import {openDemoConsole, type DemoConsole} from './demo-console.js';

/**
 * Real jobs driven by keys over a real demo world: back up, verify, test-restore, eject. Each
 * asserts on the screen and then on the media and folders themselves.
 */
let world: DemoConsole['world'];
let session: Session;
let ui: Rendered;

let demo: DemoConsole | undefined;

test.before(async () => {
	demo = await openDemoConsole();
	({world, session, ui} = demo);
});

test.after.always(async () => {
	await demo?.close();
});

async function generationsOf(root: string): Promise<number> {
	const repository = await Repository.open(root, demoPassphrase);
	const {generations} = await repository.listGenerations();
	return generations.length;
}

const rdxA = () => path.join(world.bays, 'RDX-A', 'media', 'sedai');

test.serial('Backup: untick all but RDX-A, b starts it, the bottom panel and the view show it live, a generation is sealed', async t => {
	const before = await generationsOf(rdxA());
	await ui.press('2');
	let frame = await ui.waitFor('[Backup]');
	t.regex(frame, /\[x] .*clinic/);
	// Rows: source, RDX-A, RDX-B (offline), RDX-C, NAS: untick RDX-C and NAS.
	await ui.press(keys.down, keys.down, keys.down, keys.space, keys.down, keys.space);
	frame = await ui.waitFor(/back up 1 source to RDX-A$/m);
	await ui.press('b');
	frame = await ui.waitFor(/RDX-A #\d+ sealed: .* files/, 60_000);
	t.regex(frame, /✓ done\s+Backup RDX-A/);
	t.regex(frame, /Log/);
	t.is(await generationsOf(rdxA()), before + 1);
	// The timeline knows at once.
	await ui.press('3');
	frame = await ui.waitFor(new RegExp(String.raw`RDX-A\s+#${before + 1}`));
	t.regex(frame, /21 generations/);
});

test.serial('Verify: full check of RDX-A, live, then "no problems"', async t => {
	await ui.press('5');
	await ui.waitFor('[Verify]');
	await ui.press('l');
	await ui.waitFor(/\(•\) full/);
	await ui.press('v');
	const frame = await ui.waitFor(/RDX-A: \d+ generations, \d+ packs, .* read: no problems/, 60_000);
	t.regex(frame, /✓ done\s+Verify RDX-A full/);
	t.true(session.state.verifications().some(check => check.label === 'RDX-A' && check.level === 'full' && check.ok));
	// The wide jobs panel: the finished job with its result under it, and no "No jobs yet" beneath a job.
	await ui.resize(200, 50);
	const wide = await ui.waitFor(screen => /^ ✓ done\s+Verify RDX-A full\s+│/mu.test(screen));
	t.regex(wide, /✓ done\s+Verify RDX-A full\s+│.*\n\s+Verified RDX-A \(full\): \d+ generations, .*no problems/u);
	t.false(wide.includes('No jobs yet'));
	await ui.resize(80, 24);
	// At 80 columns the hints take their short form again.
	await ui.waitFor(screen => screen.includes('[Verify]') && screen.includes('? help  q back'));
});

test.serial('Test restore: r in Generations picks one, the Restore view restores to scratch, proves every byte, shows the RTO', async t => {
	await ui.press('3');
	await ui.waitFor('[Generations]');
	await ui.press('/');
	await ui.type('RDX-A');
	await ui.press(keys.enter, 'g', 'r');
	let frame = await ui.waitFor('[Restore]');
	t.regex(frame, /test restore RDX-A #\d+/);
	await ui.press('r');
	frame = await ui.waitFor(/restored; all match byte for byte/, 60_000);
	t.regex(frame, /RTO \(restore time\): [\d.]+ (ms|s)/);
	const drill = session.state.drills().at(-1)!;
	t.true(drill.ok);
	t.is(drill.label, 'RDX-A');
	t.true(drill.into.startsWith(world.scratch));
	// The restored tree matches the source byte for byte (the clinic has not changed since).
	const restored = path.join(drill.into, path.basename(world.clinic));
	const sample = 'ehr-dump.sql';
	const found = await fs.readdir(world.clinic);
	const name = found.includes(sample) ? sample : found.find(entry => !entry.startsWith('.'))!;
	const [a, b] = await Promise.all([fs.readFile(path.join(world.clinic, name)).catch(() => undefined), fs.readFile(path.join(restored, name)).catch(() => undefined)]);
	if (a && b) {
		t.true(a.equals(b));
	} else {
		const restoredNames = await fs.readdir(restored);
		t.deepEqual(restoredNames.sort(), found.sort());
	}
});

test.serial('Drills lists that test restore; Compliance now passes the drill check and shows what fixes the rest', async t => {
	await ui.press('7');
	await ui.waitFor('[Drills]');
	// The console looks at the media again once the restore ended: wait for that look, not a fixed time.
	let frame = await ui.waitFor(/RDX-A\s+restore\s+✓ OK/);
	t.regex(frame, /RDX-A\s+restore\s+✓ OK/);
	t.regex(frame, /All [\d,]+ files matched the manifest byte for byte/);
	await ui.press('6');
	frame = await ui.waitFor(/PASS\s+Restore drill/);
	t.regex(frame, /[✓✗] \d of 7 checks|All 7 checks pass/);
	const report = session.snapshot.compliance!;
	const verified = report.checks.find(check => check.id === 'verified')!;
	// RDX-A was fully verified above; the others were not, so the action names them and not RDX-A.
	t.false(verified.pass);
	t.regex(renderMessage(verified.action!, 'en'), /"NAS"/);
	t.notRegex(renderMessage(verified.action!, 'en'), /"RDX-A"/);
	await ui.press('g', 'j', 'j', 'j', 'j');
	frame = await ui.waitFor(/→ Run a full verification/);
	t.regex(frame, /› ✗ FAIL\s+Verified/);
	await ui.press(keys.enter);
	frame = await ui.waitFor('[Verify]');
	t.regex(frame, /\[Verify]/, 'Enter on a failing check goes where it is fixed');
});

test.serial('Eject asks for the label to be typed; a wrong label does nothing; the right one takes RDX-C offline', async t => {
	await ui.press('1');
	await ui.waitFor('[Drives]');
	await ui.press('/');
	await ui.type('RDX-C');
	await ui.press(keys.enter, 'e');
	let frame = await ui.waitFor('Type RDX-C to confirm');
	await ui.type('RDX-A');
	await ui.press(keys.enter);
	frame = await ui.waitFor('That is not "RDX-C"');
	t.true(await fs.stat(path.join(world.bays, 'RDX-C')).then(() => true, () => false));
	await ui.press(keys.backspace, keys.backspace, keys.backspace, keys.backspace, keys.backspace);
	await ui.type('RDX-C');
	await ui.press(keys.enter);
	frame = await ui.waitFor(/RDX-C\s+offline \(on the shelf\)/, 30_000);
	t.regex(frame, /RDX-C ejected/);
	t.false(await fs.stat(path.join(world.bays, 'RDX-C')).then(() => true, () => false));
	t.truthy(session.state.findByLabel('RDX-C')?.offlineSince);
});

async function firstFile(folder: string): Promise<string> {
	for (const entry of await fs.readdir(folder, {withFileTypes: true})) {
		const full = path.join(folder, entry.name);
		if (entry.isFile()) {
			return full;
		}

		if (entry.isDirectory()) {
			const found = await firstFile(full).catch(() => '');
			if (found) {
				return found;
			}
		}
	}

	throw new Error(`no file under ${folder}`);
}

test.serial('Verify lists the damage when a pack on the NAS is corrupted', async t => {
	const pack = await firstFile(path.join(world.nas, 'data'));
	makeMutable(pack);
	const data = await fs.readFile(pack);
	data[Math.floor(data.length / 2)] ^= 0xFF;
	await fs.writeFile(pack, data);
	await ui.press('5');
	await ui.waitFor('[Verify]');
	await ui.press('/');
	await ui.type('NAS');
	await ui.press(keys.enter);
	await ui.waitFor(/verify NAS \(full\)/);
	await ui.press('v');
	const frame = await ui.waitFor(/NAS: \d+ problems?,/, 60_000);
	t.regex(frame, /✗ problems\s+Verify NAS full/);
	t.regex(frame, /damaged files?|✗ /);
	t.true(session.state.verifications().some(check => check.label === 'NAS' && !check.ok));
});

test.serial('c on a running backup asks first; if the job ends before y, y says nothing was cancelled', async t => {
	await ui.press('2');
	await ui.waitFor('[Backup]');
	// A job held open by the test, so the question is asked while it runs and answered after it ended.
	let release: () => void = () => undefined;
	const gate = new Promise<void>(resolve => {
		release = resolve;
	});
	const job = session.queue.enqueue({kind: 'backup', label: 'RDX-T', async run() {
		await gate;
		return {ok: true, message: {key: 'job.done'}};
	}});
	await ui.waitFor(/running\s+Backup RDX-T/);
	await ui.press('c');
	await ui.waitFor('Cancel this job?');
	release();
	await session.queue.idle();
	t.is(session.queue.get(job.id)?.state, 'done');
	await ui.press('y');
	const frame = await ui.waitFor('Nothing to cancel');
	// At 80 columns the sentence wraps under the sidebar's next row.
	t.regex(frame, /Backup RDX-T ended before the answer \(done\): nothing was\n.*│\s+cancelled\./);
	await ui.press(keys.escape);
});
