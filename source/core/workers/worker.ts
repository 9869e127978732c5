import {parentPort, workerData} from 'node:worker_threads';
import fs from 'node:fs';
import {createHash} from 'node:crypto';
import {GarbageMeter} from '../memory.js';
import {WasmChunker} from '../repository/chunker.js';
import {IdSet} from '../repository/blob-index.js';
import {encodeBlobInto, encodedBound} from '../repository/blob-codec.js';
import type {ChunkItem, ChunkItemResult, ChunkTask, BatchedBlob, WorkerInit, WorkerMessage, WorkerTask} from './protocol.js';
import type {TaskContext} from './task-context.js';
import {restoreTask} from './restore-task.js';
import {checkFileTask} from './check-file-task.js';
import {checkPackTask} from './check-pack-task.js';

/**
 * The CPU-heavy half of every job: chunk + hash + compress + seal for backup, read + open +
 * verify + write for restore, re-hash for checks. Synchronous I/O is fine here: it blocks only
 * this thread.
 */
const init = workerData as WorkerInit;

// Chunks leave short-lived buffers outside the JS heap: collect them every few megabytes.
const garbage = new GarbageMeter();
const known = new IdSet(init.knownIds);
const key = init.key ? Buffer.from(init.key) : undefined;
const readSize = 4 * 1024 * 1024;
const flushSize = 4 * 1024 * 1024;

const noatime = (fs.constants as Record<string, number>).O_NOATIME ?? 0;

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
	parentPort!.postMessage(message, transfer);
}

const context: TaskContext = {key, post, garbage};

function openSource(path: Uint8Array): number {
	// O_NOATIME: reading a backup source must not even touch its access times, where allowed.
	try {
		return fs.openSync(Buffer.from(path), fs.constants.O_RDONLY | noatime);
	} catch (error) {
		if (noatime && (error as {code?: string}).code === 'EPERM') {
			return fs.openSync(Buffer.from(path), fs.constants.O_RDONLY);
		}

		throw error;
	}
}

const wholeBuffer = Buffer.allocUnsafe(init.wholeFileLimit + 1);

let chunkerInstance: WasmChunker | undefined;

function chunker(): WasmChunker {
	chunkerInstance ??= new WasmChunker(init.gear, init.chunker, readSize + init.chunker.max);
	return chunkerInstance;
}

function chunkTask(task: ChunkTask): void {
	let batch: Uint8Array | undefined;
	let used = 0;
	let blobs: BatchedBlob[] = [];
	let unreported = 0;
	const flush = () => {
		if (blobs.length > 0 || unreported > 0) {
			const buffer = blobs.length > 0 ? batch!.buffer as ArrayBuffer : undefined;
			post({type: 'blobs', taskId: task.taskId, buffer, blobs, bytes: unreported}, buffer ? [buffer] : []);
			if (buffer) {
				batch = undefined;
				used = 0;
			}

			unreported = 0;
			blobs = [];
		}
	};

	const results: ChunkItemResult[] = [];
	const transfer: ArrayBuffer[] = [];
	for (const item of task.items) {
		const ids: Uint8Array[] = [];
		const emit = (chunk: Uint8Array) => {
			const id = createHash('sha256').update(chunk).digest();
			ids.push(id);
			if (known.add(id)) {
				const bound = encodedBound(chunk.length);
				if (batch && used + bound > batch.length) {
					flush();
				}

				batch ??= new Uint8Array(Math.max(flushSize, bound));
				const {length, flags} = encodeBlobInto(key, id, chunk, batch, used);
				blobs.push({id: new Uint8Array(id), offset: used, length, rawLength: chunk.length, flags});
				used += length;
				garbage.add(chunk.length);
			}
		};

		let bytes = 0;
		try {
			bytes = item.whole
				? chunkWhole(item, emit)
				: chunkSegment(item, emit, count => {
					unreported += count;
				});
			if (item.whole) {
				unreported += bytes;
			}
		} catch (error) {
			results.push({bytes, error: {code: (error as {code?: string}).code ?? 'EIO', message: error instanceof Error ? error.message : String(error)}});
			continue;
		}

		const chunks = new Uint8Array(ids.length * 32);
		for (const [i, id] of ids.entries()) {
			chunks.set(id, i * 32);
		}

		transfer.push(chunks.buffer);
		results.push({chunks, bytes});
	}

	flush();
	post({type: 'done', taskId: task.taskId, items: results, bytes: 0}, transfer);
}

function chunkWhole(item: ChunkItem, emit: (chunk: Uint8Array) => void): number {
	const fd = openSource(item.path);
	let length = 0;
	try {
		const want = Math.min(wholeBuffer.length, item.end - item.start + 1);
		for (;;) {
			const n = fs.readSync(fd, wholeBuffer, length, want - length, item.start + length);
			length += n;
			if (n === 0 || length >= want) {
				break;
			}
		}
	} finally {
		fs.closeSync(fd);
	}

	// A file that grew while we read it is cut at the size we listed; the next run sees the rest.
	length = Math.min(length, item.end - item.start);
	emit(wholeBuffer.subarray(0, length));
	return length;
}

function chunkSegment(item: ChunkItem, emit: (chunk: Uint8Array) => void, onRead: (bytes: number) => void): number {
	const fd = openSource(item.path);
	const buffer = chunker().data;
	let total = 0;
	try {
		let filled = 0;
		let position = item.start;
		let eof = false;
		while (!eof || filled > 0) {
			if (!eof) {
				const want = Math.min(buffer.length - filled, item.end - position);
				const n = want > 0 ? fs.readSync(fd, buffer, filled, want, position) : 0;
				filled += n;
				position += n;
				total += n;
				onRead(n);
				eof = n === 0 || position >= item.end;
			}

			let start = 0;
			for (;;) {
				const end = chunker().cut(start, filled, eof);
				if (end < 0 || end === start) {
					break;
				}

				emit(buffer.subarray(start, end));
				start = end;
			}

			buffer.copyWithin(0, start, filled);
			filled -= start;
			if (eof && filled === 0) {
				break;
			}
		}
	} finally {
		fs.closeSync(fd);
	}

	return total;
}

parentPort!.on('message', (task: WorkerTask) => {
	try {
		switch (task.kind) {
			case 'chunk': {
				chunkTask(task);
				break;
			}

			case 'restore': {
				restoreTask(task, context);
				break;
			}

			case 'check-file': {
				checkFileTask(task, context);
				break;
			}

			case 'check-pack': {
				checkPackTask(task, context);
				break;
			}
		}
	} catch (error) {
		post({type: 'done', taskId: task.taskId, bytes: 0, error: {code: (error as {code?: string}).code ?? 'EIO', message: error instanceof Error ? error.message : String(error)}});
	}
});
