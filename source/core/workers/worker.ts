import {parentPort, workerData} from 'node:worker_threads';
import fs from 'node:fs';
import {createHash} from 'node:crypto';
import {GarbageMeter} from '../memory.js';
import {decodeBlob} from '../repository/blob-codec.js';
import type {CheckFile, CheckFileTask, CheckPackTask, ItemResult, RestoreFile, RestoreTask, WorkerInit, WorkerMessage, WorkerTask} from './protocol.js';
import {createChunkTask} from './chunk-task.js';

/**
 * The CPU-heavy half of every job: chunk + hash + compress + seal for backup, read + open +
 * verify + write for restore, re-hash for checks. Synchronous I/O is fine here: it blocks only
 * this thread.
 */
const init = workerData as WorkerInit;

// Chunks leave short-lived buffers outside the JS heap: collect them every few megabytes.
const garbage = new GarbageMeter();
const key = init.key ? Buffer.from(init.key) : undefined;

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
	parentPort!.postMessage(message, transfer);
}

const chunkTask = createChunkTask(init, post);

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
