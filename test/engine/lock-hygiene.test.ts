import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {execa} from 'execa';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** Leftovers of killed jobs are cleaned; what a live job is writing is not. */
async function repositoryWithBackup(t: ExecutionContext): Promise<{home: string; repo: string; source: string}> {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'a.txt'), 'chart\n');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	return {home, repo, source};
}

/** The pid of a process that has exited (a verify killed with -9 leaves exactly that). */
async function deadPid(): Promise<number> {
	const child = execa('true');
	await child;
	return child.pid!;
}

test('read locks of killed verifies and restores do not pile up: the next job removes them', async t => {
	const {home, repo} = await repositoryWithBackup(t);
	const locks = path.join(repo, 'locks');
	for (let i = 0; i < 5; i++) {
		const owner = {kind: 'read', operation: 'verify --structure', host: os.hostname(), pid: await deadPid(), user: 'root', started: new Date().toISOString()};
		fs.writeFileSync(path.join(locks, `read-${String(i).padStart(16, '0')}.json`), JSON.stringify(owner));
	}

	const verify = await sedai(['verify', '--repo', repo], {home});
	t.is(verify.exitCode, 0, verify.stderr);
	t.regex(verify.stderr, /Removed a stale lock left by sedai verify --structure/);
	t.deepEqual(fs.readdirSync(locks), []);
});

test('a backup does not delete the temp file of a verify running beside it', async t => {
	const {home, repo, source} = await repositoryWithBackup(t);
	// What a live verify writes its record through: tmp/<name>-<its pid>-<random>.tmp (this test is the live process).
	const inFlight = path.join(repo, 'tmp', `2026-01-01T00-00-00.000Z-structure.json-${process.pid}-0123456789ab.tmp`);
	fs.writeFileSync(inFlight, '{"partial":');
	// A dead run's temp file is still cleaned.
	const leftover = path.join(repo, 'tmp', `deadbeef-${await deadPid()}-0123456789ab.tmp`);
	fs.writeFileSync(leftover, 'old');
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	t.true(fs.existsSync(inFlight), 'the verify\'s temp file is still there');
	t.false(fs.existsSync(leftover));
});
