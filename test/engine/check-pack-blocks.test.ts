import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {packPath} from '../../source/core/repository/layout.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {checkPackTask} from '../../source/core/workers/check-pack-task.js';
import type {TaskContext} from '../../source/core/workers/task-context.js';
import type {DoneMessage, PackBlob, WorkerMessage} from '../../source/core/workers/protocol.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/**
 * `verify --full` reads a pack in 4 MiB blocks: blobs past the first block, blobs listed out of
 * offset order, a pack cut short and a blob the index says is larger than the pack are each
 * judged on their own bytes.
 */
test('check-pack task over a 10 MB pack read in blocks: a flipped byte far in, any blob order, a cut pack', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	writeRandomFile(path.join(work, 'clinic', 'dump.bin'), 10 * 1024 * 1024);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-B', passphrase: 'correct horse battery'});
	await runBackup(repository, {sources: [path.join(work, 'clinic')], workers: 1});
	const {index} = await repository.loadIndex();
	const byPack = new Map<string, PackBlob[]>();
	for (const [id, location] of index.entries()) {
		const blobs = byPack.get(location.packId) ?? byPack.set(location.packId, []).get(location.packId)!;
		blobs.push({id: Buffer.from(id), offset: location.offset, length: location.length, rawLength: location.rawLength, flags: location.flags});
	}

	const [packId, blobs] = [...byPack].sort((a, b) => b[1].length - a[1].length)[0];
	const pack = packPath(repository.layout, packId);
	const last = blobs.reduce((far, blob) => blob.offset > far.offset ? blob : far);
	t.true(last.offset > 4 * 1024 * 1024, `the pack's last blob starts past the first block (at ${last.offset})`);
	const messages: WorkerMessage[] = [];
	const context: TaskContext = {key: repository.masterKey, post(message) {
		messages.push(message);
	}, garbage: {add() {
		// The test process is not memory-bound.
	}}};
	const done = () => messages.findLast((message): message is DoneMessage => message.type === 'done')!;
	const reversed = blobs.toReversed();

	checkPackTask({kind: 'check-pack', taskId: 1, pack, blobs: reversed}, context);
	t.deepEqual(done().bad, []);
	t.is(done().bytes, blobs.reduce((sum, blob) => sum + blob.length, 0));

	const flipped = path.join(work, 'flipped.pack');
	const data = fs.readFileSync(pack);
	data[last.offset + Math.floor(last.length / 2)] ^= 0xFF;
	fs.writeFileSync(flipped, data);
	checkPackTask({kind: 'check-pack', taskId: 2, pack: flipped, blobs: reversed}, context);
	t.deepEqual(done().bad, [reversed.indexOf(last)]);

	const cut = path.join(work, 'cut.pack');
	const cutAt = 6 * 1024 * 1024;
	fs.writeFileSync(cut, fs.readFileSync(pack).subarray(0, cutAt));
	checkPackTask({kind: 'check-pack', taskId: 3, pack: cut, blobs: reversed}, context);
	const expected = reversed.flatMap((blob, i) => blob.offset + blob.length > cutAt ? [i] : []);
	t.true(expected.length > 0 && expected.length < blobs.length);
	t.deepEqual(done().bad, expected.sort((a, b) => a - b));

	// An index altered to claim a 2 GiB blob: that blob is bad, read nothing for it, the rest pass.
	const claimed = reversed.map(blob => blob === last ? {...blob, length: 2 ** 31} : blob);
	checkPackTask({kind: 'check-pack', taskId: 4, pack, blobs: claimed}, context);
	t.deepEqual(done().bad, [reversed.indexOf(last)]);
	t.is(done().error, undefined);
});
