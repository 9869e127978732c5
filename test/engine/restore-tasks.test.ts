import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {packPath} from '../../source/core/repository/layout.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {fromText} from '../../source/core/byte-path.js';
import {layOutFile} from '../../source/core/jobs/restore/file-layout.js';
import {restoreTask} from '../../source/core/workers/restore-task.js';
import {checkFileTask} from '../../source/core/workers/check-file-task.js';
import {checkPackTask} from '../../source/core/workers/check-pack-task.js';
import type {TaskContext} from '../../source/core/workers/task-context.js';
import type {DoneMessage, RestorePiece, WorkerMessage} from '../../source/core/workers/protocol.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/** The worker's tasks run in this thread against a real encrypted repository. */
async function fixture(t: {teardown: (fn: () => void) => void}) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	writeRandomFile(path.join(source, 'dump.bin'), 3 * 1024 * 1024);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-T', passphrase: 'correct horse battery'});
	await runBackup(repository, {sources: [source], workers: 1});
	const generation = await repository.resolveGeneration('latest');
	const {entries} = await repository.readGeneration(generation.id);
	const {index} = await repository.loadIndex();
	const entry = entries.find(item => item.path === fromText('clinic/dump.bin'))!;
	const {ranges} = layOutFile(entry, index, packId => packPath(repository.layout, packId));
	const messages: WorkerMessage[] = [];
	const context: TaskContext = {key: repository.masterKey, post(message) {
		messages.push(message);
	}, garbage: {add() {
		// Nothing to collect: the test process is not memory-bound.
	}}};
	const done = () => messages.findLast((message): message is DoneMessage => message.type === 'done')!;
	return {work, original: fs.readFileSync(path.join(source, 'dump.bin')), pieces: ranges[0].pieces, context, done, entry};
}

/** A copy of the piece's pack with one byte flipped inside the piece: the repository stays as it is. */
function damagedCopy(work: string, piece: RestorePiece): string {
	const copy = path.join(work, 'damaged.pack');
	fs.copyFileSync(piece.pack, copy);
	const data = fs.readFileSync(copy);
	data[piece.offset + Math.floor(piece.length / 2)] ^= 0xFF;
	fs.writeFileSync(copy, data);
	return copy;
}

test('restore task: writes every piece at its offset and finishes mode and mtime', async t => {
	const {work, original, pieces, context, done} = await fixture(t);
	t.true(pieces.length > 3, 'the file spans several chunks');
	const target = path.join(work, 'out.bin');
	restoreTask({kind: 'restore', taskId: 7, files: [{path: Buffer.from(target), pieces, create: true, size: original.length, finish: {mode: 0o640, uid: 0, gid: 0, mtimeNs: '1000000000000000000', chown: false}}]}, context);
	t.deepEqual(done().files, [{bytes: original.length, bad: []}]);
	t.is(done().taskId, 7);
	t.true(fs.readFileSync(target).equals(original));
	const stats = fs.statSync(target);
	t.is(stats.mode & 0o7777, 0o640);
	t.is(stats.mtimeMs, 1_000_000_000_000);
});

test('restore task: a piece that fails its check is a hole of its length, the rest stays in place', async t => {
	const {work, original, pieces, context, done} = await fixture(t);
	const victim = 2;
	const damaged = pieces.map((piece, i) => i === victim ? {...piece, pack: damagedCopy(work, piece)} : piece);
	const target = path.join(work, 'out.bin');
	restoreTask({kind: 'restore', taskId: 1, files: [{path: Buffer.from(target), pieces: damaged, create: true, size: original.length}]}, context);
	t.deepEqual(done().files?.[0].bad, [victim]);
	const restored = fs.readFileSync(target);
	t.is(restored.length, original.length);
	const {fileOffset, rawLength} = pieces[victim];
	t.true(restored.subarray(fileOffset, fileOffset + rawLength).equals(Buffer.alloc(rawLength)));
	t.true(restored.subarray(0, fileOffset).equals(original.subarray(0, fileOffset)));
	t.true(restored.subarray(fileOffset + rawLength).equals(original.subarray(fileOffset + rawLength)));
});

test('restore task: never writes through a symlink planted at the target', async t => {
	const {work, original, pieces, context, done} = await fixture(t);
	const outside = path.join(work, 'outside.txt');
	fs.writeFileSync(outside, 'keep me');
	const target = path.join(work, 'out.bin');
	fs.symlinkSync(outside, target);
	restoreTask({kind: 'restore', taskId: 1, files: [{path: Buffer.from(target), pieces, create: true, size: original.length}]}, context);
	t.is(done().files?.[0].error?.code, 'EEXIST');
	t.is(fs.readFileSync(outside, 'utf8'), 'keep me');
});

test('check-file task: a good copy passes, a flipped byte names its chunk', async t => {
	const {work, original, pieces, context, done} = await fixture(t);
	const target = path.join(work, 'copy.bin');
	fs.writeFileSync(target, original);
	const check = {path: Buffer.from(target), ids: Buffer.concat(pieces.map(piece => piece.id)), lengths: pieces.map(piece => piece.rawLength), start: 0};
	checkFileTask({kind: 'check-file', taskId: 1, files: [check]}, context);
	t.deepEqual(done().files, [{bytes: original.length, bad: []}]);
	const copy = Buffer.from(original);
	copy[pieces[1].fileOffset + 5] ^= 1;
	fs.writeFileSync(target, copy);
	checkFileTask({kind: 'check-file', taskId: 2, files: [check, {...check, path: Buffer.from(path.join(work, 'none'))}]}, context);
	t.deepEqual(done().files?.[0].bad, [1]);
	t.is(done().files?.[1].error?.code, 'ENOENT');
});

test('check-pack task: every blob of a good pack opens; a flipped byte and a missing pack are reported', async t => {
	const {work, pieces, context, done} = await fixture(t);
	const blobs = pieces.filter(piece => piece.pack === pieces[0].pack).map(piece => ({id: piece.id, offset: piece.offset, length: piece.length, rawLength: piece.rawLength, flags: piece.flags}));
	checkPackTask({kind: 'check-pack', taskId: 1, pack: pieces[0].pack, blobs}, context);
	t.deepEqual(done().bad, []);
	t.is(done().bytes, blobs.reduce((sum, blob) => sum + blob.length, 0));
	checkPackTask({kind: 'check-pack', taskId: 2, pack: damagedCopy(work, pieces[1]), blobs}, context);
	t.deepEqual(done().bad, [1]);
	checkPackTask({kind: 'check-pack', taskId: 3, pack: path.join(work, 'gone.pack'), blobs}, context);
	t.is(done().error?.code, 'ENOENT');
	t.is(done().bad?.length, blobs.length);
});
