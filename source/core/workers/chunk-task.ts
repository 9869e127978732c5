import fs from 'node:fs';
import {createHash} from 'node:crypto';
import {GarbageMeter} from '../memory.js';
import {WasmChunker} from '../repository/chunker.js';
import {IdSet} from '../repository/blob-index.js';
import {encodeBlobInto, encodedBound} from '../repository/blob-codec.js';
import {sampleEntropy, sentinelSample} from '../policy/entropy.js';
import type {BatchedBlob, ChunkItem, ChunkItemResult, ChunkTarget, ChunkTask, WorkerInit, WorkerMessage} from './protocol.js';

/**
 * The backup half of a worker: read each file once, and for every repository that needs it cut
 * it with that repository's chunker, hash, and compress + seal the chunks it does not hold yet.
 * New blobs leave in large per-target buffers (transferred, not copied).
 */
// 1 MiB each: every worker holds a read block, a chunker window of the same size and a batch per
// repository; at 4 MiB those made ~25 MB of a first backup's peak, for no speed (2026-12-07).
const readSize = 1024 * 1024;
const flushSize = 1024 * 1024;
const noatime = (fs.constants as Record<string, number>).O_NOATIME ?? 0;

type Post = (message: WorkerMessage, transfer?: ArrayBuffer[]) => void;

type Target = {
	key: Buffer | undefined;
	known: IdSet;
	parameters: ChunkTarget;
	chunker?: WasmChunker;
	batch?: Uint8Array;
	used: number;
	blobs: BatchedBlob[];
};

/** Returns the task runner for one worker (its state: known ids, chunkers, buffers). */
export function createChunkTask(init: WorkerInit, post: Post): (task: ChunkTask) => void {
	const garbage = new GarbageMeter();
	const targets: Target[] = (init.chunkTargets ?? [init]).map(parameters => ({
		key: parameters.key ? Buffer.from(parameters.key) : undefined,
		known: new IdSet(parameters.knownIds),
		parameters,
		used: 0,
		blobs: [],
	}));
	// Allocated on first use: restore and check workers never chunk.
	let wholeBuffer: Buffer | undefined;
	let block: Buffer | undefined;

	return task => {
		let unreported = 0;
		const flush = (target: Target, index: number, taskEnd = false) => {
			if (target.blobs.length === 0) {
				return;
			}

			// A task of small files fills a fraction of its batch: send a trimmed copy and keep the
			// batch. Handing over 4 MiB per task made the coordinator's V8 see gigabytes of external
			// memory and mark its whole heap every few hundred milliseconds.
			const trim = taskEnd && target.used < target.batch!.length / 2;
			const buffer = (trim ? target.batch!.slice(0, target.used).buffer : target.batch!.buffer) as ArrayBuffer;
			// The ids as views of one buffer: the coordinator's index keeps them, one allocation per batch.
			const ids = new Uint8Array(target.blobs.length * 32);
			for (const [i, blob] of target.blobs.entries()) {
				ids.set(blob.id, i * 32);
				blob.id = ids.subarray(i * 32, (i + 1) * 32);
			}

			post({type: 'blobs', taskId: task.taskId, target: index, buffer, blobs: target.blobs, bytes: unreported}, [buffer, ids.buffer]);
			unreported = 0;
			if (!trim) {
				target.batch = undefined;
			}

			target.used = 0;
			target.blobs = [];
		};

		const emit = (index: number, ids: Uint8Array[], chunk: Uint8Array, id = createHash('sha256').update(chunk).digest()) => {
			ids.push(id);
			const target = targets[index];
			if (!target.known.add(id)) {
				return;
			}

			const bound = encodedBound(chunk.length);
			if (target.batch && target.used + bound > target.batch.length) {
				flush(target, index);
			}

			target.batch ??= new Uint8Array(Math.max(flushSize, bound));
			const {length, flags} = encodeBlobInto(target.key, id, chunk, target.batch, target.used, target.parameters.compression);
			target.blobs.push({id, offset: target.used, length, rawLength: chunk.length, flags});
			target.used += length;
			garbage.add(chunk.length);
		};

		const done: Array<Read | ChunkItemResult> = [];
		for (const item of task.items) {
			const wanted = item.targets ?? [0];
			const ids: Uint8Array[][] = wanted.map(() => []);
			let bytes = 0;
			let entropy: number | undefined;
			let sha256: Uint8Array | undefined;
			try {
				if (item.whole) {
					wholeBuffer ??= Buffer.allocUnsafe(init.wholeFileLimit + 1);
					const data = readWhole(item, wholeBuffer);
					// The chunk id is the plain SHA-256 of the content: the same for every target.
					const id = createHash('sha256').update(data).digest();
					for (const [i, index] of wanted.entries()) {
						emit(index, ids[i], data, id);
					}

					// A whole file is one blob: its id is the file's SHA-256.
					sha256 = item.hash ? id : undefined;

					bytes = data.length;
					unreported += bytes;
					entropy = data.length >= sentinelSample.minimum ? sampleEntropy(data.subarray(0, sentinelSample.bytes)) : undefined;
				} else {
					block ??= Buffer.allocUnsafe(readSize);
					const hash = item.hash ? createHash('sha256') : undefined;
					bytes = chunkSegment(item, block, wanted.map(index => chunkerOf(targets[index])), (i, chunk) => {
						emit(wanted[i], ids[i], chunk);
					}, data => {
						unreported += data.length;
						hash?.update(data);
					}, head => {
						entropy = head.length >= sentinelSample.minimum ? sampleEntropy(head.subarray(0, sentinelSample.bytes)) : undefined;
					});
					sha256 = hash?.digest();
				}
			} catch (error) {
				done.push({bytes, error: {code: (error as {code?: string}).code ?? 'EIO', message: error instanceof Error ? error.message : String(error)}});
				continue;
			}

			done.push({ids, bytes, ...(entropy === undefined ? {} : {entropy}), ...(sha256 ? {sha256} : {})});
		}

		for (const [index, target] of targets.entries()) {
			flush(target, index, true);
		}

		const {items, buffer} = packResults(done);
		post({type: 'done', taskId: task.taskId, items, bytes: unreported}, [buffer]);
	};
}

type Read = {ids: Uint8Array[][]; bytes: number; entropy?: number; sha256?: Uint8Array};

/**
 * Every item's chunk ids and file hash as views of one buffer per task: one transfer, and the
 * coordinator, which keeps them until the generation is sealed, holds one allocation per task
 * instead of two per file.
 */
function packResults(done: Array<Read | ChunkItemResult>): {items: ChunkItemResult[]; buffer: ArrayBuffer} {
	let size = 0;
	for (const item of done) {
		if ('ids' in item) {
			size += item.ids.reduce((sum, list) => sum + (list.length * 32), 0) + (item.sha256 ? 32 : 0);
		}
	}

	const all = new Uint8Array(size);
	let used = 0;
	const take = (bytes: Uint8Array) => {
		all.set(bytes, used);
		used += bytes.length;
		return all.subarray(used - bytes.length, used);
	};

	const items = done.map(item => {
		if (!('ids' in item)) {
			return item;
		}

		const {ids, sha256, ...rest} = item;
		const chunks = ids.map(list => {
			const start = used;
			for (const id of list) {
				take(id);
			}

			return all.subarray(start, used);
		});
		return {...rest, chunks, ...(sha256 ? {sha256: take(sha256)} : {})};
	});
	return {items, buffer: all.buffer};
}

function chunkerOf(target: Target): WasmChunker {
	target.chunker ??= new WasmChunker(target.parameters.gear, target.parameters.chunker, readSize + target.parameters.chunker.max);
	return target.chunker;
}

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

function readWhole(item: ChunkItem, buffer: Buffer): Buffer {
	const fd = openSource(item.path);
	let length = 0;
	try {
		const want = Math.min(buffer.length, item.end - item.start + 1);
		for (;;) {
			const n = fs.readSync(fd, buffer, length, want - length, item.start + length);
			length += n;
			if (n === 0 || length >= want) {
				break;
			}
		}
	} finally {
		fs.closeSync(fd);
	}

	// A file that grew while we read it is cut at the size we listed; the next run sees the rest.
	return buffer.subarray(0, Math.min(length, item.end - item.start));
}

/**
 * Read a segment block by block, once; each chunker gets a copy of every block after its own
 * carry-over (less than one max chunk, so a block always fits behind it).
 */
/** Read a segment once, cutting it with every target's chunker; `onHead` sees the file's first bytes. */
function chunkSegment(item: ChunkItem, block: Buffer, chunkers: WasmChunker[], emit: (i: number, chunk: Uint8Array) => void, onRead: (data: Uint8Array) => void, onHead?: (head: Uint8Array) => void): number {
	const fd = openSource(item.path);
	const filled = chunkers.map(() => 0);
	let total = 0;
	try {
		let position = item.start;
		let eof = false;
		while (!eof) {
			const want = Math.min(block.length, item.end - position);
			const n = want > 0 ? fs.readSync(fd, block, 0, want, position) : 0;
			if (position === 0 && n > 0) {
				onHead?.(block.subarray(0, n));
			}

			position += n;
			total += n;
			onRead(block.subarray(0, n));
			eof = n === 0 || position >= item.end;
			for (const [i, chunker] of chunkers.entries()) {
				filled[i] = cutBlock(chunker, filled[i], block.subarray(0, n), eof, chunk => {
					emit(i, chunk);
				});
			}
		}
	} finally {
		fs.closeSync(fd);
	}

	return total;
}

/** Append `data` to the chunker's carry-over, emit every chunk it can cut; returns the new carry-over length. */
export function cutBlock(chunker: WasmChunker, filled: number, data: Uint8Array, final: boolean, emit: (chunk: Uint8Array) => void): number {
	const buffer = chunker.data;
	buffer.set(data, filled);
	const end = filled + data.length;
	let start = 0;
	for (;;) {
		const cut = chunker.cut(start, end, final);
		if (cut < 0 || cut === start) {
			break;
		}

		emit(buffer.subarray(start, cut));
		start = cut;
	}

	buffer.copyWithin(0, start, end);
	return end - start;
}
