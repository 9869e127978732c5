import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import type {ResultPromise} from 'execa';
import {Repository} from '../../source/core/repository/repository.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {runPrune} from '../../source/core/jobs/prune.js';
import {unprotect} from '../../source/system/protect.js';
import {protectRepository} from '../../source/system/generation-protection.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {sedaiProcess} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/trees.js';
import {removeProtected} from './helpers/cleanup.js';

/**
 * Kill -9 during prune, at every step (and at arbitrary moments): the repository must verify
 * clean, every generation prune keeps must restore byte for byte, and a second prune finishes
 * the job. The real, built `sedai` runs in a child process.
 */
const work = temporaryDirectory();
const home = path.join(work, 'home');
const template = path.join(work, 'template');
const passphrase = 'correct horse battery';
const source = path.join(work, 'clinic');
const versions = new Map<string, Buffer>();
let newest: string[] = [];
const keepThree = ['--keep-last', '3', '--keep-daily', '0', '--keep-weekly', '0', '--keep-monthly', '0', '--keep-yearly', '0'];
let copies = 0;

test.before(async () => {
	fs.mkdirSync(source, {recursive: true});
	fs.writeFileSync(path.join(source, 'stable.bin'), randomBytes(60_000));
	const repository = await Repository.init(template, {label: 'RDX-CRASH', passphrase});
	// Twelve generations, each with its own version of one file: packs to delete, one to repack.
	for (let i = 0; i < 12; i++) {
		const content = randomBytes(30_000);
		fs.writeFileSync(path.join(source, 'version.bin'), content);
		const {generation} = await runBackup(repository, {sources: [source], workers: 1});
		versions.set(generation.id, content);
	}

	newest = [...versions.keys()].slice(-3);
});

test.after.always(async () => {
	await removeProtected(work);
});

/** A copy of the template whose sealed files are immutable, as after real backups. */
async function freshCopy(): Promise<string> {
	const copy = path.join(work, `repo-${++copies}`);
	fs.cpSync(template, copy, {recursive: true});
	const {outcome} = await protectRepository(copy);
	if (outcome.protection !== 'immutable') {
		throw new Error(`this test needs root on a filesystem with chattr +i (got ${outcome.protection}: ${outcome.note ?? ''})`);
	}

	return copy;
}

const keepThreePolicy = {keepLast: 3, daily: 0, weekly: 0, monthly: 0, yearly: 0};

/** Everything that must hold after a crash, then after finishing the prune. */
async function assertRecoverable(t: ExecutionContext, repo: string): Promise<void> {
	const repository = await Repository.open(repo, passphrase);
	const verify = await runVerify(repository, {level: 'full', record: false});
	t.true(verify.ok, JSON.stringify(verify.problems));
	const listed = await repository.listGenerations();
	const present = new Set(listed.generations.map(generation => generation.id));
	t.true(newest.every(id => present.has(id)), 'every generation prune keeps is still there');
	await Promise.all(newest.map(async id => {
		const into = path.join(work, `restore-${path.basename(repo)}-${id.slice(0, 8)}`);
		const restored = await runRestore(repository, {generation: id, into, workers: 1});
		t.is(restored.mismatches.length, 0);
		t.deepEqual(fs.readFileSync(path.join(into, 'clinic', 'version.bin')), versions.get(id));
		t.deepEqual(fs.readFileSync(path.join(into, 'clinic', 'stable.bin')), fs.readFileSync(path.join(source, 'stable.bin')));
		fs.rmSync(into, {recursive: true, force: true});
	}));

	// Finishing the job: a normal prune completes and leaves exactly the kept generations.
	await runPrune(repository, {policy: keepThreePolicy, async beforeDelete(files) {
		await unprotect(files);
	}});
	const remaining = await repository.listGenerations();
	t.deepEqual(remaining.generations.map(generation => generation.id).sort(), [...newest].sort());
	const final = await runVerify(repository, {record: false});
	t.true(final.ok, JSON.stringify(final.problems));
	t.deepEqual(final.notes, [], 'no leftovers once prune has finished');
}

/** Three scenarios at a time: each is mostly waiting on a child process and worker threads. */
let running = 0;
const waiting: Array<() => void> = [];
function crashTest(title: string, body: (t: ExecutionContext) => Promise<void>): void {
	test(title, async t => {
		while (running >= 3) {
			await new Promise<void>(resolve => {
				waiting.push(resolve);
			});
		}

		running++;
		try {
			await body(t);
		} finally {
			running--;
			waiting.shift()?.();
		}
	});
}

const steps = [
	'prune:planned',
	'prune:tombstones-written',
	'prune:generation-removed',
	'prune:generations-removed',
	'pack:renamed',
	'prune:repack-written',
	'prune:index-written',
	'prune:index-removed',
	'prune:pack-removed',
	'prune:done',
];

for (const step of steps) {
	crashTest(`kill -9 at ${step}: verifies clean, kept generations restore, a second prune finishes`, async t => {
		const repo = await freshCopy();
		const run = sedaiProcess(['prune', '--repo', repo, ...keepThree], {home, env: {SEDAI_TEST_CRASH_AT: step}});
		const result = await run;
		t.is(result.signal, 'SIGKILL', `the child reached ${step} and died there (${String(result.stderr)})`);
		await assertRecoverable(t, repo);
	});
}

crashTest('kill -9 from outside while prune waits between deleting packs', async t => {
	const repo = await freshCopy();
	const marker = path.join(work, 'paused');
	const run: ResultPromise = sedaiProcess(['prune', '--repo', repo, ...keepThree], {home, env: {SEDAI_TEST_PAUSE_AT: 'prune:pack-removed', SEDAI_TEST_MARKER: marker}});
	for (let waited = 0; !fs.existsSync(marker); waited += 20) {
		if (waited > 60_000) {
			throw new Error('prune never reached prune:pack-removed');
		}

		await sleep(20);
	}

	// Some packs are gone, others not yet: a real half-done prune.
	t.true(fs.readdirSync(path.join(repo, 'pruned')).length > 0);
	run.kill('SIGKILL');
	const result = await run;
	t.is(result.signal, 'SIGKILL');
	fs.rmSync(marker, {force: true});
	await assertRecoverable(t, repo);
});

for (const delay of [0, 80]) {
	crashTest(`kill -9 ${delay} ms after prune took its lock, wherever it is`, async t => {
		const repo = await freshCopy();
		const locks = path.join(repo, 'locks');
		const run = sedaiProcess(['prune', '--repo', repo, ...keepThree], {home});
		for (let waited = 0; !fs.readdirSync(locks).some(name => name.startsWith('exclusive-')); waited += 5) {
			if (waited > 60_000) {
				throw new Error('prune never took its lock');
			}

			await sleep(5);
		}

		await sleep(delay);
		run.kill('SIGKILL');
		await run;
		await assertRecoverable(t, repo);
	});
}
