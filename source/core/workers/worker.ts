import {parentPort, workerData} from 'node:worker_threads';
import fs from 'node:fs';
import {createHash} from 'node:crypto';
import {GarbageMeter} from '../memory.js';
import {WasmChunker} from '../repository/chunker.js';
import {IdSet} from '../repository/blob-index.js';
import {decodeBlob, encodeBlobInto, encodedBound} from '../repository/blob-codec.js';
import type {CheckFile, CheckFileTask, CheckPackTask, ChunkItem, ChunkItemResult, ChunkTask, ItemResult, BatchedBlob, RestoreFile, RestoreTask, WorkerInit, WorkerMessage, WorkerTask} from './protocol.js';

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

const packHandles = new Map<string, number>();

function packFd(pack: string): number {
	let fd = packHandles.get(pack);
	if (fd === undefined) {
		const oldest = packHandles.size >= 64 ? packHandles.entries().next().value : undefined;
		if (oldest) {
			fs.closeSync(oldest[1]);
			packHandles.delete(oldest[0]);
		}

		fd = fs.openSync(pack, 'r');
		packHandles.set(pack, fd);
	}

	return fd;
}

function readExact(fd: number, length: number, position: number): Buffer {
	const buffer = Buffer.allocUnsafe(length);
	let done = 0;
	while (done < length) {
		const n = fs.readSync(fd, buffer, done, length - done, position + done);
		if (n === 0) {
			throw Object.assign(new Error('unexpected end of pack'), {code: 'ESHORT'});
		}

		done += n;
	}

	return buffer;
}

const isRoot = process.getuid?.() === 0;

function restoreFile(file: RestoreFile, onBytes: (bytes: number) => void): ItemResult {
	const bad: number[] = [];
	let bytes = 0;
	const flags = fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW | (file.create ? fs.constants.O_CREAT | fs.constants.O_EXCL : 0);
	const fd = fs.openSync(Buffer.from(file.path), flags, 0o600);
	try {
		for (const [i, piece] of file.pieces.entries()) {
			let raw: Buffer | undefined;
			try {
				raw = decodeBlob(key, piece.id, readExact(packFd(piece.pack), piece.length, piece.offset), piece.flags, piece.rawLength);
			} catch {
				raw = undefined;
			}

			if (raw) {
				let done = 0;
				while (done < raw.length) {
					done += fs.writeSync(fd, raw, done, raw.length - done, piece.fileOffset + done);
				}
			} else {
				bad.push(i);
			}

			bytes += piece.rawLength;
			garbage.add(piece.rawLength);
			onBytes(piece.rawLength);
		}

		if (file.finish) {
			const {mode, uid, gid, mtimeNs, chown} = file.finish;
			if (chown && isRoot) {
				fs.fchownSync(fd, uid, gid);
			}

			fs.fchmodSync(fd, mode);
			const seconds = Number(BigInt(mtimeNs) / 1_000_000_000n) + (Number(BigInt(mtimeNs) % 1_000_000_000n) / 1e9);
			fs.futimesSync(fd, seconds, seconds);
		}
	} finally {
		fs.closeSync(fd);
	}

	return {bytes, bad};
}

function restoreTask(task: RestoreTask): void {
	let unreported = 0;
	let last = performance.now();
	const results: ItemResult[] = task.files.map(file => {
		try {
			return restoreFile(file, bytes => {
				unreported += bytes;
				if (performance.now() - last > 100) {
					post({type: 'bytes', taskId: task.taskId, bytes: unreported});
					unreported = 0;
					last = performance.now();
				}
			});
		} catch (error) {
			return {bytes: 0, bad: [], error: {code: (error as {code?: string}).code ?? 'EIO', message: error instanceof Error ? error.message : String(error)}};
		}
	});
	post({type: 'done', taskId: task.taskId, bytes: unreported, files: results});
}

function checkFile(file: CheckFile, onBytes: (bytes: number) => void): ItemResult {
	const bad: number[] = [];
	let bytes = 0;
	const fd = fs.openSync(Buffer.from(file.path), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	try {
		let position = file.start;
		for (const [i, length] of file.lengths.entries()) {
			let data: Buffer | undefined;
			try {
				data = readExact(fd, length, position);
			} catch {
				data = undefined;
			}

			if (!data || !createHash('sha256').update(data).digest().equals(file.ids.subarray(i * 32, (i + 1) * 32))) {
				bad.push(i);
			}

			position += length;
			bytes += length;
			garbage.add(length);
			onBytes(length);
		}
	} finally {
		fs.closeSync(fd);
	}

	return {bytes, bad};
}

function checkFileTask(task: CheckFileTask): void {
	let unreported = 0;
	let last = performance.now();
	const results: ItemResult[] = task.files.map(file => {
		try {
			return checkFile(file, bytes => {
				unreported += bytes;
				if (performance.now() - last > 100) {
					post({type: 'bytes', taskId: task.taskId, bytes: unreported});
					unreported = 0;
					last = performance.now();
				}
			});
		} catch (error) {
			return {bytes: 0, bad: [], error: {code: (error as {code?: string}).code ?? 'EIO', message: error instanceof Error ? error.message : String(error)}};
		}
	});
	post({type: 'done', taskId: task.taskId, bytes: unreported, files: results});
}

function checkPackTask(task: CheckPackTask): void {
	let data: Buffer;
	try {
		data = fs.readFileSync(task.pack);
	} catch (error) {
		post({type: 'done', taskId: task.taskId, bytes: 0, bad: task.blobs.map((_, i) => i), error: {code: (error as {code?: string}).code ?? 'EIO', message: String((error as Error).message)}});
		return;
	}

	const bad: number[] = [];
	let bytes = 0;
	for (const [i, blob] of task.blobs.entries()) {
		const stored = blob.offset + blob.length <= data.length ? data.subarray(blob.offset, blob.offset + blob.length) : undefined;
		const raw = stored ? decodeBlob(key, blob.id, stored, blob.flags, blob.rawLength) : undefined;
		if (!raw) {
			bad.push(i);
		}

		bytes += blob.length;
		garbage.add(blob.rawLength);
	}

	post({type: 'done', taskId: task.taskId, bytes, bad});
}

parentPort!.on('message', (task: WorkerTask) => {
	try {
		switch (task.kind) {
			case 'chunk': {
				chunkTask(task);
				break;
			}

			case 'restore': {
				restoreTask(task);
				break;
			}

			case 'check-file': {
				checkFileTask(task);
				break;
			}

			case 'check-pack': {
				checkPackTask(task);
				break;
			}
		}
	} catch (error) {
		post({type: 'done', taskId: task.taskId, bytes: 0, error: {code: (error as {code?: string}).code ?? 'EIO', message: error instanceof Error ? error.message : String(error)}});
	}
});
