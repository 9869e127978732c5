import fs from 'node:fs';
import path from 'node:path';
import {createHash} from 'node:crypto';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {sourcePathOf, walkSources, type WalkedEntry} from '../../source/core/jobs/walk.js';
import {markHardlinks, planChanges, segmentSize, type FilePlan} from '../../source/core/jobs/backup/plan.js';
import {makeBatches, mergeReads, type ReadWork} from '../../source/core/jobs/backup/chunk.js';
import {createChunkTask} from '../../source/core/workers/chunk-task.js';
import {wholeFileLimit} from '../../source/core/repository/chunker.js';
import type {BlobsMessage, DoneMessage, WorkerMessage} from '../../source/core/workers/protocol.js';
import {fromText} from '../../source/core/byte-path.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/** The phases of runBackup, each on its own: plan (change detection), chunk (batching), the chunk worker task. */
async function walk(source: string): Promise<WalkedEntry[]> {
	return (await walkSources([source], () => undefined, () => undefined)).entries;
}

function scratch(t: {teardown: (fn: () => void) => void}): string {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	return work;
}

test('change detection reuses an unchanged file and rereads one whose ctime changed, or whose chunks are gone', async t => {
	const work = scratch(t);
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	for (const name of ['a.txt', 'b.txt', 'c.txt']) {
		fs.writeFileSync(path.join(source, name), `${name}\n`);
	}

	fs.writeFileSync(path.join(source, 'empty'), '');
	const before = await walk(source);
	// The parent as a previous run left it, without the empty file (new in this run).
	const previous = new Map(before.filter(entry => !entry.path.endsWith('empty')).map(entry => [entry.path, {...entry, chunks: entry.type === 'file' ? Buffer.alloc(32, (entry.ino ?? 0) % 256) : undefined}]));
	const gone = previous.get(fromText('clinic/c.txt'))!.chunks!;

	// A chmod changes only the ctime: the content might have been swapped under a kept mtime.
	fs.chmodSync(path.join(source, 'b.txt'), 0o600);
	const plan = await planChanges(await walk(source), {get: async entry => previous.get(entry.path)}, {has: id => !Buffer.from(id).equals(gone)}, false);
	t.deepEqual(plan.files.map(file => path.basename(file.entry.path)).sort(), ['b.txt', 'c.txt']);
	t.is(plan.reusedFiles, 1);
	const reused = plan.entries.find(entry => entry.path.endsWith('a.txt'))!;
	t.deepEqual(reused.chunks, previous.get(reused.path)!.chunks, 'chunks come from the parent');
	t.is(plan.entries.find(entry => entry.path.endsWith('empty'))!.chunks?.length, 0, 'an empty file needs no read');
});

test('planning for several repositories gives each its own entries; hardlinks are settled once', async t => {
	const work = scratch(t);
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'a.txt'), 'a\n');
	fs.linkSync(path.join(source, 'a.txt'), path.join(source, 'z.txt'));
	const {entries: walked, linked} = await walkSources([source], () => undefined, () => undefined);
	t.deepEqual(linked.map(file => path.basename(file.entry.path)), ['a.txt', 'z.txt'], 'only files with more than one name are kept aside');
	markHardlinks(linked);
	t.deepEqual(walked.filter(entry => entry.type === 'hardlink').map(entry => path.basename(entry.path)), ['z.txt']);
	const none = {get: async () => undefined};
	const first = await planChanges(walked, none, {has: () => true}, true);
	const second = await planChanges(walked, none, {has: () => true}, true);
	t.not(first.files[0].entry, second.files[0].entry);
	t.is(first.files[0].source, second.files[0].source);
	const works = [...mergeReads(walked, [first.files, undefined, second.files])];
	t.is(works.length, 1, 'one read for both');
	t.deepEqual(works[0].targets, [0, 2]);
});

test('the read queue is made as it goes: each changed file read once over the big and small passes, in walk order, its plan let go when taken', async t => {
	const work = scratch(t);
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) {
		fs.writeFileSync(path.join(source, name), `${name}\n`);
	}

	const walked = await walk(source);
	const none = {get: async () => undefined};
	const first = await planChanges(walked, none, {has: () => true}, true);
	const second = await planChanges(walked, none, {has: () => true}, true);
	// Target 0 needs every file; target 1 only a and c (as if b and d were unchanged there).
	const plans = [[...first.files], second.files.filter(file => /[ac]\.txt$/.test(file.entry.path))];
	// Pretend a and d are big, so the two passes split the files.
	const big = new Set(['a.txt', 'd.txt']);
	const isBig = (plan: FilePlan) => big.has(path.basename(plan.entry.path));
	const bigReads = [...mergeReads(walked, plans, plan => isBig(plan), true)];
	const smallReads = [...mergeReads(walked, plans, plan => !isBig(plan), true)];
	const names = (reads: ReadWork[]) => reads.map(read => `${path.basename(read.source.path)}:${read.targets.join('+')}`);
	t.deepEqual(names(bigReads), ['a.txt:0+1', 'd.txt:0']);
	t.deepEqual(names(smallReads), ['b.txt:0', 'c.txt:0+1']);
	t.true(plans.every(files => files.every(file => file === undefined)), 'every plan is let go once its read is made');
	t.is([...mergeReads(walked, plans)].length, 0, 'nothing is read twice');
});

test('batching: big files as one segment per batch, largest first; small files within the file and byte limits', t => {
	const work = (size: number): ReadWork => {
		const whole = size <= wholeFileLimit;
		const source: WalkedEntry = {path: `f${size}`, type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n, size};
		return {source, whole, segments: whole ? 1 : Math.ceil(size / segmentSize), targets: [0], plans: [], segmentsDone: 0, bytes: 0};
	};

	const works = [work(2 * 1024 * 1024), ...Array.from({length: 300}, () => work(1000)), work(70 * 1024 * 1024), ...Array.from({length: 20}, () => work(900 * 1024))];
	const batches = [...makeBatches(whole => works.filter(work => work.whole === whole), {files: 128, bytes: 8 * 1024 * 1024})];
	t.deepEqual(batches.slice(0, 4).map(batch => [batch.length, batch[0].work.source.size, batch[0].segment]), [[1, 70 * 1024 * 1024, 0], [1, 70 * 1024 * 1024, 1], [1, 70 * 1024 * 1024, 2], [1, 2 * 1024 * 1024, 0]]);
	const small = batches.slice(4);
	t.is(small.flat().length, 320, 'every small file once');
	for (const batch of small) {
		t.true(batch.length <= 128);
		// A batch closes on the file that reaches the byte limit.
		t.true(batch.slice(0, -1).reduce((sum, item) => sum + item.work.source.size, 0) < 8 * 1024 * 1024);
	}
});

test('the chunk task reads a file once for two repositories: the same ids for a whole file, each its own chunking for a big one', async t => {
	const work = scratch(t);
	const one = await Repository.init(path.join(work, 'one'), {label: 'ONE', passphrase: 'pw'});
	const two = await Repository.init(path.join(work, 'two'), {label: 'TWO'});
	const small = path.join(work, 'note.txt');
	fs.writeFileSync(small, 'karte\n'.repeat(1000));
	const big = path.join(work, 'scan.bin');
	writeRandomFile(big, 6 * 1024 * 1024);
	const targets = [one, two].map(repository => ({key: repository.masterKey, gear: repository.gear, chunker: repository.config.chunker, knownIds: new Uint8Array(0)}));
	const messages: WorkerMessage[] = [];
	const run = createChunkTask({...targets[0], wholeFileLimit, chunkTargets: targets}, message => {
		messages.push(message);
	});
	run({kind: 'chunk', taskId: 1, items: [
		{path: Buffer.from(small), start: 0, end: fs.statSync(small).size, whole: true, targets: [0, 1]},
		{path: Buffer.from(big), start: 0, end: 6 * 1024 * 1024, whole: false, targets: [0, 1]},
	]});
	const done = messages.at(-1) as DoneMessage;
	t.is(done.type, 'done');
	const [whole, segment] = done.items!;
	const digest = createHash('sha256').update(fs.readFileSync(small)).digest();
	t.deepEqual(whole.chunks!.map(ids => Buffer.from(ids)), [digest, digest]);
	t.is(segment.bytes, 6 * 1024 * 1024);
	t.notDeepEqual(Buffer.from(segment.chunks![0]), Buffer.from(segment.chunks![1]), 'each repository cuts with its own gear');

	// Every byte reaches each repository once as a new blob, sealed for it.
	const blobs = messages.filter((message): message is BlobsMessage => message.type === 'blobs');
	for (const target of [0, 1]) {
		const raw = blobs.filter(message => (message.target ?? 0) === target).flatMap(message => message.blobs).reduce((sum, blob) => sum + blob.rawLength, 0);
		t.is(raw, fs.statSync(small).size + (6 * 1024 * 1024));
	}

	const reported = blobs.reduce((sum, message) => sum + message.bytes, done.bytes);
	t.is(reported, fs.statSync(small).size + (6 * 1024 * 1024), 'read progress counts each byte once');
});

test('an entry keeps no absolute path: it is found from its source root, also for a source of /', t => {
	const absoluteOf = sourcePathOf([{name: 'clinic', path: '/srv/clinic'}, {name: 'root', path: '/'}]);
	t.is(absoluteOf('clinic'), '/srv/clinic');
	t.is(absoluteOf('clinic/a/b.txt'), '/srv/clinic/a/b.txt');
	t.is(absoluteOf('root'), '/');
	t.is(absoluteOf('root/etc/hosts'), '/etc/hosts');
	t.is(absoluteOf('databases/ehr.pgdump'), undefined, 'a stream is under no source');
	t.is(absoluteOf('clinic-2/x'), undefined);
});
