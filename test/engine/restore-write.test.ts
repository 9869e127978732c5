import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {packPath} from '../../source/core/repository/layout.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {ProgressReporter} from '../../source/core/jobs/progress.js';
import {TaskSet} from '../../source/core/jobs/task-set.js';
import {WorkerPool} from '../../source/core/workers/pool.js';
import {fromText, type BytePath} from '../../source/core/byte-path.js';
import type {Entry} from '../../source/core/repository/manifest.js';
import {planRestore} from '../../source/core/jobs/restore/plan.js';
import {FolderMaker, makeFolders} from '../../source/core/jobs/restore/folders.js';
import {metadataPolicy} from '../../source/core/jobs/restore/metadata.js';
import {writeFiles} from '../../source/core/jobs/restore/write-files.js';
import {readBack} from '../../source/core/jobs/restore/read-back.js';
import {markDamaged} from '../../source/core/jobs/restore/damaged.js';
import {writeHardlinks, writeSymlinks} from '../../source/core/jobs/restore/write-links.js';
import type {RestoreProblem} from '../../source/core/jobs/restore/types.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/** The write and read-back phases on their own, with real worker threads and a real repository. */
async function written(t: ExecutionContext) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	writeRandomFile(path.join(source, 'big.bin'), 2 * 1024 * 1024);
	fs.writeFileSync(path.join(source, 'small.txt'), 'small\n');
	fs.symlinkSync('small.txt', path.join(source, 'link'));
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-W'});
	await runBackup(repository, {sources: [source], workers: 1});
	const {entries} = await repository.readGeneration((await repository.resolveGeneration('latest')).id);
	const {index} = await repository.loadIndex();
	const plan = planRestore(entries, entries, index, packId => packPath(repository.layout, packId));
	const into = path.join(work, 'out');
	fs.mkdirSync(into);
	const base = fromText(into);
	const folders = new FolderMaker(base);
	const pool = new WorkerPool({key: repository.masterKey, gear: repository.gear, chunker: repository.config.chunker, wholeFileLimit: 0, knownIds: new Uint8Array(0)}, 1);
	t.teardown(async () => pool.close());
	const reporter = new ProgressReporter('restore', {});
	const tasks = new TaskSet(undefined);
	const outcomes = await writeFiles(plan.files, {pool, tasks, reporter, base, policy: metadataPolicy('recovery'), signal: undefined, layout: plan.layout, folders});
	// Each file's folder was made as the file was sent; the rest (a link's) now, as restore.ts does.
	await makeFolders(plan, folders);
	const symlinks = await writeSymlinks(plan.symlinks, {base, policy: metadataPolicy('recovery'), onConflict() {
		// A fresh folder has no conflicts.
	}});
	const check = async () => {
		const mismatches: RestoreProblem[] = [];
		await readBack(outcomes, symlinks, {pool, tasks, reporter, base, signal: undefined, mismatches, layout: plan.layout});
		return mismatches;
	};

	return {work, into, source, outcomes, symlinks, check};
}

test('write: every file lands byte for byte; read back passes, then names a flipped byte and a changed link', async t => {
	const {into, source, outcomes, check} = await written(t);
	t.deepEqual(outcomes.map(outcome => [outcome.plan.entry.path, outcome.failed, outcome.lost]), [['clinic/big.bin', undefined, []], ['clinic/small.txt', undefined, []]]);
	t.true(fs.readFileSync(path.join(into, 'clinic', 'big.bin')).equals(fs.readFileSync(path.join(source, 'big.bin'))));
	t.deepEqual(await check(), []);
	const big = path.join(into, 'clinic', 'big.bin');
	const data = fs.readFileSync(big);
	data[1_000_000] ^= 1;
	fs.writeFileSync(big, data);
	fs.rmSync(path.join(into, 'clinic', 'link'));
	fs.symlinkSync('elsewhere', path.join(into, 'clinic', 'link'));
	t.deepEqual(await check(), [
		{path: 'clinic/big.bin', reason: 'restored bytes differ from the generation'},
		{path: 'clinic/link', reason: 'symlink target differs from the generation'},
	]);
});

test('read back checks each file on its open descriptor: a grown file, a missing one and a symlink in its place are each named', async t => {
	const {into, check} = await written(t);
	const small = path.join(into, 'clinic', 'small.txt');
	fs.appendFileSync(small, 'more');
	t.deepEqual(await check(), [{path: 'clinic/small.txt', reason: 'size 10 differs from 6'}]);
	fs.rmSync(small);
	t.deepEqual(await check(), [{path: 'clinic/small.txt', reason: 'missing after restore'}]);
	fs.symlinkSync(path.join(into, 'clinic', 'big.bin'), small);
	t.deepEqual(await check(), [{path: 'clinic/small.txt', reason: 'a symlink stands where the file was restored'}]);
	fs.rmSync(small);
	fs.mkdirSync(small);
	t.deepEqual(await check(), [{path: 'clinic/small.txt', reason: 'not a regular file after restore'}]);
});

test('damaged marks: never over an existing file or a path of the generation, and links follow their file', async t => {
	const {into, outcomes} = await written(t);
	const small = outcomes.find(outcome => outcome.plan.entry.path === fromText('clinic/small.txt'))!;
	const hole = {offset: 0, length: 6};
	small.lost.push(hole);
	const base = fromText(into);
	fs.writeFileSync(path.join(into, 'clinic', 'small.txt.sedai-damaged-2'), 'someone else');
	const taken = new Set<BytePath>(['clinic/small.txt', 'clinic/small.txt.sedai-damaged']);
	const damaged = await markDamaged(outcomes, {base, taken, keepNames: false});
	t.deepEqual(damaged, [{path: 'clinic/small.txt', savedAs: 'clinic/small.txt.sedai-damaged-3', missing: [hole]}]);
	t.is(fs.readFileSync(path.join(into, 'clinic', 'small.txt.sedai-damaged-3'), 'utf8'), 'small\n');
	t.is(fs.readFileSync(path.join(into, 'clinic', 'small.txt.sedai-damaged-2'), 'utf8'), 'someone else');
	t.false(fs.existsSync(path.join(into, 'clinic', 'small.txt')));

	const link: Entry = {path: fromText('clinic/again.txt'), type: 'hardlink', target: fromText('clinic/small.txt'), mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n, size: 6};
	const big = outcomes.find(outcome => outcome.plan.entry.path === fromText('clinic/big.bin'))!;
	const leaders = new Map([[small.plan.entry.path, {target: small.target, damaged: damaged[0]}], [big.plan.entry.path, {target: big.target}]]);
	const occupied: Entry = {...link, path: fromText('clinic/small.txt.sedai-damaged-2'), target: big.plan.entry.path};
	const conflicts: string[] = [];
	const links = await writeHardlinks([link, occupied], leaders, {base, policy: metadataPolicy('recovery'), taken, onConflict(entry, error) {
		conflicts.push(`${entry.path}: ${(error as {code?: string}).code}`);
	}});
	t.deepEqual(links.damaged, [{path: 'clinic/again.txt', savedAs: 'clinic/again.txt.sedai-damaged', missing: [hole]}]);
	t.is(fs.statSync(path.join(into, 'clinic', 'again.txt.sedai-damaged')).ino, fs.statSync(path.join(into, 'clinic', 'small.txt.sedai-damaged-3')).ino);
	t.false(fs.existsSync(path.join(into, 'clinic', 'again.txt')));
	t.deepEqual(links.created.map(entry => entry.path), ['clinic/again.txt']);
	t.deepEqual(conflicts, ['clinic/small.txt.sedai-damaged-2: EEXIST']);
	t.is(fs.readFileSync(path.join(into, 'clinic', 'small.txt.sedai-damaged-2'), 'utf8'), 'someone else');
});
