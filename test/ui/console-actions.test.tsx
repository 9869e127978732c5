import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import stringWidth from 'string-width';
import {type Session} from '../../source/app/session.js';
import {Repository} from '../../source/core/repository/repository.js';
import {layoutOf} from '../../source/core/repository/layout.js';
import {demoPassphrase} from '../../source/demo/world.js';
import {sedai} from '../helpers/cli.js';
import {keys, type Rendered} from './render-helper.js';
import {openDemoConsole, type DemoConsole} from './demo-console.js';

/**
 * What a technician does from the console besides backing up, over a real demo world at 80×24:
 * prune (exactly what `sedai prune --dry-run` lists, after its label is typed), write-protect,
 * unlock a stale lock (who held it, since when), run a plan, verify every medium in full, create
 * a repository, edit and remove a target, sort. Each is checked on the media and in settings.json.
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

async function generationIds(root: string): Promise<string[]> {
	const repository = await Repository.open(root, demoPassphrase);
	return (await repository.listGenerations()).generations.map(generation => generation.id).sort();
}

function fitsIn80(frame: string): boolean {
	return frame.split('\n').every(line => stringWidth(line) <= 80);
}

async function select(view: string, title: string, filter: string): Promise<void> {
	await ui.press(view);
	await ui.waitFor(`[${title}]`);
	// Esc clears the filter an earlier test left.
	await ui.press('/', keys.escape, '/');
	await ui.type(filter);
	await ui.press(keys.enter, 'g');
}

test.serial('p in Generations previews the prune, asks for the label, and removes exactly what sedai prune --dry-run lists', async t => {
	const before = await generationIds(world.nas);
	const dryRun = await sedai(['prune', '--dry-run', '--json', '--repo', world.nas], {home: world.home, passphrase: demoPassphrase});
	t.is(dryRun.exitCode, 0, dryRun.stderr);
	const listed = dryRun.lines.filter(line => line['type'] === 'generation' && line['action'] === 'remove').map(line => String(line['id'])).sort();
	t.true(listed.length > 0, 'the demo NAS has generations no rule keeps');
	t.deepEqual(await generationIds(world.nas), before, 'the dry run changed nothing');

	await select('3', 'Generations', 'NAS');
	await ui.press('p');
	let frame = await ui.waitFor('Type NAS to confirm');
	t.regex(frame, /─ Prune NAS/);
	t.regex(frame, new RegExp(String.raw`removes ${listed.length} generations?\b`));
	t.true(fitsIn80(frame));
	const seqs = dryRun.lines.filter(line => line['type'] === 'generation' && line['action'] === 'remove').map(line => Number(line['seq']));
	for (const seq of seqs.slice(0, 4)) {
		t.regex(frame, new RegExp(String.raw`#${seq}\s+\d{4}-`), `#${seq} is listed`);
	}

	// A wrong label prunes nothing.
	await ui.type('RDX-A');
	await ui.press(keys.enter);
	await ui.waitFor('That is not "NAS"');
	t.deepEqual(await generationIds(world.nas), before);
	await ui.press(keys.escape);

	await ui.press('p');
	await ui.waitFor('Type NAS to confirm');
	await ui.type('NAS');
	await ui.press(keys.enter);
	frame = await ui.waitFor(/Pruned NAS: \d+ removed/, 60_000);
	t.regex(frame, new RegExp(`Pruned NAS: ${listed.length} removed`));
	const after = await generationIds(world.nas);
	t.deepEqual(before.filter(id => !after.includes(id)), listed, 'removed exactly what the dry run listed');
	t.is(after.length, before.length - listed.length);
});

test.serial('a prune whose confirmed preview no longer matches what the policy removes is refused and removes nothing', async t => {
	const before = await generationIds(world.nas);
	const nas = session.snapshot.targets.find(target => target.label === 'NAS')!;
	const job = session.startPrune(nas.name, [before[0]]);
	await session.queue.idle();
	const ended = session.queue.get(job.id)!;
	t.is(ended.state, 'failed');
	t.regex(ended.error ?? '', /has changed since the preview \(1 then, 0 now\): nothing was pruned/);
	t.deepEqual(await generationIds(world.nas), before);
});

test.serial('P in Generations write-protects the selected generation\'s medium after y', async t => {
	await select('3', 'Generations', 'RDX-A');
	await ui.press('P');
	await ui.waitFor('Write-protect RDX-A?');
	await ui.press('y');
	const frame = await ui.waitFor(/RDX-A: \d+ generations? write-protected/, 60_000);
	t.regex(frame, /write-protected \(/);
});

test.serial('u on Drives shows who holds a stale lock and since when, and y removes it', async t => {
	const root = path.join(world.bays, 'RDX-A', 'media', 'sedai');
	const file = path.join(layoutOf(root).locks, 'append-stale-test.json');
	await fs.mkdir(path.dirname(file), {recursive: true});
	// A process that is gone: pid 2^22 + 1 is above Linux's pid_max.
	await fs.writeFile(file, JSON.stringify({kind: 'append', operation: 'backup', host: os.hostname(), pid: 4_194_305, user: 'root', started: '2026-11-30T01:00:00.000Z'}));
	await select('1', 'Drives', 'RDX-A');
	await ui.press('u');
	const frame = await ui.waitFor('Unlock RDX-A');
	t.regex(frame, /sedai backup, pid 4194305/);
	t.regex(frame, /since 2026-11-30/);
	t.regex(frame, /process gone \(stale\)/);
	await ui.press('y');
	await ui.waitFor(/Unlocked RDX-A: 1 stale lock removed/, 30_000);
	await t.throwsAsync(fs.access(file));
});

test.serial('p in Backup runs a named plan as the nightly timer does', async t => {
	const before = (await generationIds(world.nas)).length;
	await ui.press('2');
	await ui.waitFor('[Backup]');
	await ui.press('p');
	let frame = await ui.waitFor('─ Run a plan');
	t.regex(frame, /nightly: RDX-A, RDX-B, RDX-C, NAS/);
	t.regex(frame, /> nightly_/);
	t.true(fitsIn80(frame));
	await ui.press(keys.enter);
	frame = await ui.waitFor(/Plan nightly: sealed on/, 120_000);
	t.regex(frame, /Plan nightly: sealed on .*NAS/);
	t.is((await generationIds(world.nas)).length, before + 1);
	t.is(session.snapshot.lastRun?.plan ?? 'nightly', 'nightly');
});

test.serial('a in Verify verifies every connected medium in full, one job each', async t => {
	const online = session.snapshot.targets.filter(target => target.online && target.repositoryId).map(target => target.label);
	const checksBefore = session.state.verifications().length;
	await ui.press('5');
	await ui.waitFor('[Verify]');
	await ui.press('a');
	const frame = await ui.waitFor('Verify all media (full)?');
	for (const label of online) {
		t.true(frame.includes(label), label);
	}

	await ui.press('y');
	await session.refresh();
	await ui.waitFor(() => session.queue.active().length === 0 && session.state.verifications().length >= checksBefore + online.length, 120_000);
	const full = session.state.verifications().slice(checksBefore);
	t.deepEqual(full.map(check => check.label).sort(), [...online].sort());
	t.true(full.every(check => check.level === 'full'));
});

test.serial('n in Settings creates a plain repository in a typed folder and adds it as a target; Enter edits it; x removes it and leaves the data', async t => {
	const root = path.join(world.root, 'second-disk', 'sedai');
	await ui.press('8');
	await ui.waitFor('[Settings]');
	await ui.press('n');
	let frame = await ui.waitFor('─ New repository: folder');
	t.true(fitsIn80(frame));
	await ui.type(root);
	await ui.press(keys.enter);
	frame = await ui.waitFor('─ Label of the new repository');
	t.regex(frame, /> sedai_/, 'the label prompt starts from the folder name, not the path typed before');
	await ui.press('\u0015');
	await ui.type('DISK2');
	await ui.press(keys.tab);
	await ui.waitFor(/· encrypted/);
	await ui.press(keys.enter);
	frame = await ui.waitFor('Created repository DISK2 at', 30_000);
	const config = await Repository.identify(root);
	t.is(config.label, 'DISK2');
	t.falsy(config.encryption);
	t.deepEqual(session.settingsStore.get().targets.find(target => target.name === 'DISK2'), {name: 'DISK2', kind: 'folder', path: root});

	// Enter on the target edits where it is found, under the same name.
	await ui.press('/');
	await ui.type('DISK2');
	await ui.press(keys.enter, 'g');
	await ui.press(keys.enter);
	frame = await ui.waitFor('─ Edit target DISK2');
	t.true(frame.includes(`> ${root}_`));
	const moved = path.join(world.root, 'moved', 'sedai');
	await ui.press('\u0015');
	await ui.type(moved);
	await ui.press(keys.enter);
	await ui.waitFor(() => session.settingsStore.get().targets.some(target => target.name === 'DISK2' && target.path === moved));

	// The x key asks for the name typed; the repository stays on disk.
	await ui.press('x');
	await ui.waitFor('Type DISK2 to confirm');
	await ui.type('DISK2');
	await ui.press(keys.enter);
	await ui.waitFor(() => !session.settingsStore.get().targets.some(target => target.name === 'DISK2'));
	t.is((await Repository.identify(root)).label, 'DISK2', 'removing a target never deletes data');
});

test.serial('o sorts Generations and Drives by a column, shown in the header', async t => {
	await ui.press('3');
	await ui.waitFor('[Generations]');
	// Clear the filter an earlier test left.
	await ui.press('/', keys.escape);
	let frame = await ui.waitFor(/Time↓/);
	await ui.press('o');
	frame = await ui.waitFor(/Time↑/);
	const times = frame.split('\n').map(line => /(\d\d-\d\d \d\d:\d\d) [●○]/.exec(line)?.[1]).filter(Boolean);
	t.deepEqual(times, [...times].sort((a, b) => a!.localeCompare(b!)), 'oldest first');
	await ui.press('o');
	frame = await ui.waitFor(/Medium↑/);
	const media = frame.split('\n').map(line => /\d\d:\d\d [●○] (\S+)/.exec(line)?.[1]).filter(Boolean);
	t.deepEqual(media, [...media].sort((a, b) => a!.localeCompare(b!)));
	await ui.press('1');
	await ui.waitFor('[Drives]');
	await ui.press('o');
	frame = await ui.waitFor(/Device↓/);
	t.regex(frame, /Device↓/);
});
