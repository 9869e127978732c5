import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {execa} from 'execa';
import {Repository} from '../../source/core/repository/repository.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {SettingsStore} from '../../source/settings/store.js';
import {createSampleClinic} from '../../source/demo/sample-clinic.js';
import {cliPath, parseLines, sedai} from '../helpers/cli.js';
import {snapshotTree, temporaryDirectory} from '../helpers/trees.js';
import {removeProtected} from './helpers/cleanup.js';

const passphrase = 'correct horse battery';

type Site = {work: string; home: string; clinic: string; rdxA: string; rdxB: string; nas: string};

/** Two rotating cartridges and a NAS folder, all initialised and seen once by Sedai. */
async function site(t: ExecutionContext): Promise<Site> {
	const work = temporaryDirectory();
	t.teardown(async () => removeProtected(work));
	const home = path.join(work, 'home');
	const clinic = path.join(work, 'clinic');
	await createSampleClinic(clinic, {patients: 8, scans: 5, dumpBytes: 512 * 1024});
	const rdxA = path.join(work, 'bay', 'rdx-a');
	const rdxB = path.join(work, 'bay', 'rdx-b');
	const nas = path.join(work, 'nas', 'sedai');
	for (const [root, label, plaintext] of [[rdxA, 'RDX-A', false], [rdxB, 'RDX-B', false], [nas, 'NAS', true]] as const) {
		const init = await sedai(['init', root, '--label', label, ...(plaintext ? ['--plaintext'] : [])], {home});
		t.is(init.exitCode, 0, init.stderr);
		// Seen once, so Sedai knows where each cartridge was last mounted.
		const seen = await sedai(['generations', '--repo', root], {home});
		t.is(seen.exitCode, 0);
	}

	new SettingsStore(home).update({
		sources: [clinic],
		targets: [
			{name: 'RDX-A', kind: 'cartridge', label: 'RDX-A'},
			{name: 'RDX-B', kind: 'cartridge', label: 'RDX-B'},
			{name: 'NAS', kind: 'folder', path: nas},
		],
		plans: [{name: 'nightly', targets: ['RDX-A', 'RDX-B', 'NAS']}],
		rotation: ['RDX-A', 'RDX-B'],
	});
	return {work, home, clinic, rdxA, rdxB, nas};
}

test('backup --plan: one cartridge on the shelf is reported offline; the other targets seal the same content', async t => {
	const {work, home, clinic, rdxA, rdxB, nas} = await site(t);
	// RDX-B is ejected: its folder is gone from the bay.
	fs.renameSync(rdxB, path.join(work, 'shelf-rdx-b'));
	const run = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(run.exitCode, 0, `${run.stdout + run.stderr}`);
	const targets: Record<string, Record<string, unknown>> = Object.fromEntries(run.lines.filter(line => line['type'] === 'target').map(line => [String(line['name']), line]));
	t.is(targets['RDX-A']?.['status'], 'sealed');
	t.is(targets['NAS']?.['status'], 'sealed');
	t.is(targets['RDX-B']?.['status'], 'offline');
	// A rotation cartridge on the shelf is a skip, recorded as such.
	t.is(targets['RDX-B']?.['message'], 'skipped: RDX-B offline (rotation)');
	t.deepEqual(run.summary?.['sealed'], ['RDX-A', 'NAS']);
	t.deepEqual(run.summary?.['offline'], ['RDX-B']);
	t.deepEqual(run.summary?.['failed'], []);
	// Rotation: A just got the backup and must go offline; B is due next.
	const rotation = run.summary?.['rotation'] as {due: string; mustGoOffline: string[]; advice: string[]};
	t.is(rotation.due, 'RDX-B');
	t.deepEqual(rotation.mustGoOffline, ['RDX-A']);
	t.regex(rotation.advice.join(' '), /Eject RDX-A.*Insert RDX-B next/);

	// The same content and time on both, each in its own sealed, verifiable generation.
	const a = await Repository.open(rdxA, passphrase);
	const n = await Repository.open(nas, undefined);
	const listedA = await a.listGenerations();
	const listedN = await n.listGenerations();
	const [genA] = listedA.generations;
	const [genN] = listedN.generations;
	t.is(genA.time, genN.time);
	t.is(genA.id, String((targets['RDX-A']?.['generation'] as {id?: string} | undefined)?.id));
	t.deepEqual(genA.tags, ['plan:nightly']);
	for (const [repository, generation] of [[a, genA], [n, genN]] as const) {
		const into = path.join(work, `restore-${repository.label}`);
		const restored = await runRestore(repository, {generation: generation.id, into, workers: 1});
		t.is(restored.mismatches.length, 0);
		const strip = (tree: Map<string, {type: string; size: number; hash?: string}>) => [...tree].map(([key, entry]) => [key, entry.type, entry.size, entry.hash]);
		t.deepEqual(strip(snapshotTree(path.join(into, 'clinic'))), strip(snapshotTree(clinic)));
	}

	// Human output names the offline target and what to do next.
	const human = await sedai(['backup', '--plan', 'nightly'], {home});
	t.is(human.exitCode, 0);
	t.regex(human.stdout, /^skipped: RDX-B offline \(rotation\)\.$/m);
	t.regex(human.stdout, /sealed on 2 of 3 target\(s\) \(RDX-A, NAS\); offline: RDX-B/);
	t.regex(human.stdout, /Rotation: Eject RDX-A/);
});

test('backup --plan: a broken target is reported and the others still seal, but the run exits 1; nothing connected exits 1', async t => {
	const {work, home, rdxA, rdxB, nas} = await site(t);
	// The NAS share now holds something that is not a repository.
	fs.rmSync(nas, {recursive: true});
	fs.mkdirSync(nas);
	fs.writeFileSync(path.join(nas, 'other.txt'), 'not ours');
	const mixed = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	// The plan asked for NAS too: a run that could not write it must alert, not pass.
	t.is(mixed.exitCode, 1);
	t.deepEqual(mixed.summary?.['sealed'], ['RDX-A', 'RDX-B']);
	t.deepEqual(mixed.summary?.['failed'], ['NAS']);
	t.true(mixed.lines.some(line => line['type'] === 'warning' && /NAS: .*holds no Sedai repository: create one with `sedai init/.test(String(line['message']))));

	// Everything unplugged: nothing sealed, exit 1, and it says which targets were missing.
	await removeProtected(rdxA);
	fs.renameSync(rdxB, path.join(work, 'shelf-rdx-b'));
	fs.rmSync(nas, {recursive: true});
	const none = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(none.exitCode, 1);
	t.false(none.summary?.['ok']);
	t.deepEqual(none.summary?.['offline'], ['RDX-A', 'RDX-B', 'NAS']);

	const unknown = await sedai(['backup', '--plan', 'weekly', '--json'], {home});
	t.is(unknown.exitCode, 2);
	t.regex(String(unknown.lines.find(line => line['type'] === 'error')?.['message']), /no backup plan "weekly" \(plans: nightly\)/);
});

test('backup --plan over three targets reads each source file once (counted by strace), first and incremental, and seals on all three', async t => {
	const {work, home, clinic, rdxA, rdxB, nas} = await site(t);
	const files = fs.readdirSync(clinic, {recursive: true, withFileTypes: true}).filter(entry => entry.isFile()).map(entry => path.join(entry.parentPath, entry.name));
	t.true(files.length > 10);
	const first = await tracedPlanRun(work, home, clinic, 'first');
	t.deepEqual(first.sealed, ['RDX-A', 'RDX-B', 'NAS']);
	// Large files are read in 32 MiB segments by two workers; this clinic's files are smaller.
	for (const file of files) {
		t.is(first.opens.get(file), 1, `${file} opened ${first.opens.get(file) ?? 0} time(s) in the first backup`);
	}

	// A day of changes: the changed files are read once more (the sentinel too uses that read), the rest not at all.
	const changed = files.filter(file => fs.statSync(file).size >= 256).slice(0, 3);
	for (const file of changed) {
		fs.appendFileSync(file, 'one more line of today\'s notes\n');
	}

	const second = await tracedPlanRun(work, home, clinic, 'second');
	t.deepEqual(second.sealed, ['RDX-A', 'RDX-B', 'NAS']);
	for (const file of files) {
		t.is(second.opens.get(file) ?? 0, changed.includes(file) ? 1 : 0, `${file} in the incremental`);
	}

	for (const root of [rdxA, rdxB, nas]) {
		const repository = await Repository.open(root, root === nas ? undefined : passphrase);
		t.is((await repository.listGenerations()).generations.length, 2, root);
	}
});

/** `sedai backup --plan nightly` under strace: the targets sealed, and how often each source file was opened. */
async function tracedPlanRun(work: string, home: string, clinic: string, name: string): Promise<{sealed: unknown; opens: Map<string, number>}> {
	const trace = path.join(work, `${name}.trace`);
	// -f follows the worker threads; -s: whole paths; -x: non-ASCII bytes (Japanese names) as \\xHH.
	const run = await execa('strace', ['-f', '-qq', '-s', '4096', '-x', '-e', 'trace=openat', '-o', trace, 'node', cliPath, 'backup', '--plan', 'nightly', '--json'], {
		env: {SEDAI_HOME: home, SEDAI_PASSPHRASE: passphrase, NO_COLOR: '1'},
		reject: false,
		stdin: 'ignore',
	});
	if (run.exitCode !== 0) {
		throw new Error(`backup --plan failed: ${run.stderr}`);
	}

	const opens = new Map<string, number>();
	for (const line of fs.readFileSync(trace, 'utf8').split('\n')) {
		const quoted = /openat\([^,]+, "((?:[^"\\]|\\.)+)"/.exec(line)?.[1];
		const opened = quoted === undefined ? undefined : Buffer.from(quoted.replaceAll(/\\x([\da-f]{2})/g, (_match, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16))), 'latin1').toString('utf8');
		if (opened?.startsWith(`${clinic}/`) && !line.includes('O_DIRECTORY')) {
			opens.set(opened, (opens.get(opened) ?? 0) + 1);
		}
	}

	return {sealed: parseLines(run.stdout).findLast(line => line['type'] === 'summary')?.['sealed'], opens};
}
