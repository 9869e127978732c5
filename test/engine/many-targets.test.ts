import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {spawn, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {runBackupToMany, segmentSize} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {processStartTime} from '../../source/core/repository/lock.js';
import {createLoopCartridge, requireLoopSupport} from '../helpers/loop-device.js';
import {comparableTree, removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/** Issue 8 item 2: one read of the sources feeds every repository of a plan. */
const fixture = fileURLToPath(new URL('fixtures/backup-to-many.ts', import.meta.url));
const megabyte = 1024 * 1024;

function requireStrace(t: ExecutionContext): boolean {
	if (spawnSync('strace', ['-V']).status === 0) {
		return true;
	}

	if (process.env['CI'] === 'true') {
		t.fail('strace is missing: .ci/run installs it');
	} else {
		t.log('strace is not installed: skipped');
		t.pass();
	}

	return false;
}

function makeSource(source: string): string[] {
	const files: string[] = [];
	const add = (file: string) => {
		files.push(file);
		return file;
	};

	// Small whole-file blobs, a chunked mid-size file and a multi-segment big one.
	for (let i = 0; i < 40; i++) {
		fs.mkdirSync(path.join(source, 'notes'), {recursive: true});
		fs.writeFileSync(add(path.join(source, 'notes', `note-${i}.txt`)), `karte ${i}\n`.repeat(100 + i));
	}

	writeRandomFile(add(path.join(source, 'scan.jpg')), 3 * megabyte);
	writeRandomFile(add(path.join(source, 'db', 'dump.bin')), 40 * megabyte);
	fs.writeFileSync(add(path.join(source, 'empty.txt')), '');
	return files.filter(file => fs.statSync(file).size > 0);
}

async function runChild(input: unknown, trace: string | undefined): Promise<{lines: Array<Record<string, unknown>>; status: number | null}> {
	const node = ['node', '--import=tsx', fixture, JSON.stringify(input)];
	const command = trace ? ['strace', '-f', '-qq', '-e', 'trace=openat', '-o', trace, ...node] : node;
	return new Promise((resolve, reject) => {
		const child = spawn(command[0], command.slice(1), {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
		});
		child.on('error', reject);
		child.on('close', status => {
			resolve({status, lines: out.trim().split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>)});
		});
	});
}

async function threeRepositories(work: string): Promise<Array<{root: string; passphrase?: string}>> {
	const specs = [{root: path.join(work, 'rdx-a'), passphrase: 'first secret'}, {root: path.join(work, 'rdx-b')}, {root: path.join(work, 'rdx-c'), passphrase: 'another secret'}];
	for (const [i, spec] of specs.entries()) {
		await Repository.init(spec.root, {label: `RDX-${'ABC'[i]}`, passphrase: spec.passphrase});
	}

	return specs;
}

test.serial('a three-target backup reads each source file once, seals on each, and each verifies and restores identically', async t => {
	if (!requireStrace(t)) {
		return;
	}

	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	const files = makeSource(source);
	const repositories = await threeRepositories(work);
	const trace = path.join(work, 'openat.trace');
	const {lines, status} = await runChild({sources: [source], repositories}, trace);
	t.is(status, 0);
	t.deepEqual(lines.map(line => [line['label'], line['error'], typeof line['generation']]), [['RDX-A', undefined, 'string'], ['RDX-B', undefined, 'string'], ['RDX-C', undefined, 'string']]);

	// Every openat of a source file, by path (directories are opened by the walk, files are not).
	const opened = new Map<string, number>();
	for (const line of fs.readFileSync(trace, 'utf8').split('\n')) {
		const match = /openat\([^,]+, "([^"]+)"/.exec(line);
		if (match?.[1].startsWith(source + '/') && !line.includes('O_DIRECTORY')) {
			opened.set(match[1], (opened.get(match[1]) ?? 0) + 1);
		}
	}

	// Once per file; a file over one segment is opened once per 32 MiB segment (read in parallel), never per target.
	t.deepEqual(Object.fromEntries(opened), Object.fromEntries(files.map(file => [file, Math.ceil(fs.statSync(file).size / segmentSize)])), 'each source file read once for all three');
	t.is(opened.get(path.join(source, 'notes', 'note-0.txt')), 1);

	const expected = comparableTree(source);
	for (const [i, spec] of repositories.entries()) {
		const repository = await Repository.open(spec.root, spec.passphrase);
		const verify = await runVerify(repository, {level: 'full', record: false});
		t.true(verify.ok, `${repository.label}: ${JSON.stringify(verify.problems)}`);
		const into = path.join(work, `restored-${i}`);
		const restored = await runRestore(repository, {generation: 'latest', into});
		t.deepEqual(restored.mismatches, []);
		t.deepEqual(comparableTree(path.join(into, 'clinic')), expected, `${repository.label} restores identically`);
	}
});

test.serial('one target locked by another process: the other two seal, that one reports "locked"', async t => {
	const work = temporaryDirectory();
	const holder = spawn('sleep', ['600'], {stdio: 'ignore'});
	t.teardown(() => {
		holder.kill();
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	makeSource(source);
	const repositories = await threeRepositories(work);
	const pid = holder.pid!;
	// A live lock exactly as a running backup on this machine leaves it.
	fs.writeFileSync(path.join(repositories[1].root, 'locks', 'append-0123456789abcdef.json'), JSON.stringify({
		kind: 'append', operation: 'backup', host: os.hostname(), pid, user: os.userInfo().username, started: new Date().toISOString(), processStart: processStartTime(pid),
	}));
	const {lines, status} = await runChild({sources: [source], repositories}, undefined);
	t.is(status, 0);
	t.deepEqual(lines.map(line => [line['label'], line['error'] ?? 'sealed']), [['RDX-A', 'sealed'], ['RDX-B', 'locked'], ['RDX-C', 'sealed']]);
	t.deepEqual(fs.readdirSync(path.join(repositories[1].root, 'generations')), []);
	t.deepEqual(fs.readdirSync(path.join(repositories[0].root, 'locks')), [], 'the others released their locks');
	for (const spec of [repositories[0], repositories[2]]) {
		t.true((await runVerify(await Repository.open(spec.root, spec.passphrase), {level: 'full', record: false})).ok);
	}
});

test.serial('one target runs out of space mid-read: it reports "no-space" and stays clean, the other seals', async t => {
	requireLoopSupport();
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const cartridge = await createLoopCartridge({fsType: 'ext4', label: 'SMALL', sizeMiB: 32});
	t.teardown(async () => cartridge.cleanup());
	const source = path.join(work, 'clinic');
	makeSource(source);
	writeRandomFile(path.join(source, 'db', 'archive.bin'), 40 * megabyte);
	const big = await Repository.init(path.join(work, 'big'), {label: 'BIG', passphrase: 'pw'});
	const small = await Repository.init(path.join(cartridge.mountpoint, 'sedai'), {label: 'SMALL'});
	let unhandled = 0;
	const count = () => {
		unhandled++;
	};

	process.on('unhandledRejection', count);
	t.teardown(() => {
		process.off('unhandledRejection', count);
	});
	const outcomes = await runBackupToMany([small, big], {sources: [source], workers: 2});
	t.is(outcomes[0].error?.code, 'no-space', outcomes[0].error?.message);
	t.regex(outcomes[0].error?.message ?? '', /No space left on the repository "SMALL"/);
	t.truthy(outcomes[1].result, outcomes[1].error?.message);
	t.is(outcomes[1].result?.generation.totals.files, 44);
	t.is(unhandled, 0);
	t.deepEqual(fs.readdirSync(path.join(small.root, 'locks')), []);
	t.deepEqual(fs.readdirSync(path.join(small.root, 'tmp')), [], 'no half-written pack left');
	t.deepEqual(fs.readdirSync(path.join(small.root, 'generations')), []);
	t.true((await runVerify(small, {level: 'structure', record: false})).ok);
	t.true((await runVerify(big, {level: 'full', record: false})).ok);
});
