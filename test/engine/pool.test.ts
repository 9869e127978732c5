import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {wholeFileLimit} from '../../source/core/repository/chunker.js';
import {WorkerPool} from '../../source/core/workers/pool.js';
import type {ChunkTask} from '../../source/core/workers/protocol.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

test('closing the pool while a task runs rejects it as "cancelled", and the closed pool refuses more work', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'POOL'});
	const file = path.join(work, 'big.bin');
	writeRandomFile(file, 48 * 1024 * 1024);
	const pool = new WorkerPool({key: repository.masterKey, gear: repository.gear, chunker: repository.config.chunker, wholeFileLimit, knownIds: new Uint8Array(0)}, 1);
	const task: Omit<ChunkTask, 'taskId'> = {kind: 'chunk', items: [{path: Buffer.from(file), start: 0, end: 48 * 1024 * 1024, whole: false}]};
	let started!: () => void;
	const firstBlobs = new Promise<void>(resolve => {
		started = resolve;
	});
	const running = pool.run<ChunkTask>(task, () => {
		started();
	});
	await firstBlobs;
	await pool.close();
	const error = await t.throwsAsync(running);
	t.is((error as {code?: string}).code, 'cancelled');
	const refused = await t.throwsAsync(pool.run<ChunkTask>(task));
	t.is((refused as {code?: string}).code, 'cancelled');
	const noSlot = await t.throwsAsync(pool.slot());
	t.is((noSlot as {code?: string}).code, 'cancelled');
	await pool.close();
});
