import fs from 'node:fs';
import {decodeBlob} from '../repository/blob-codec.js';
import {utimeOf} from '../jobs/restore/metadata.js';
import type {FileFinish, ItemResult, RestoreFile, RestoreTask} from './protocol.js';
import {PackHandles} from './pack-handles.js';
import {readExact} from './read-exact.js';
import {bytesReporter, errorDetail, type TaskContext} from './task-context.js';

/**
 * Read, open and verify each piece from its pack and write it at its own offset. A piece that
 * cannot be read or fails its check is left as a hole (zeros) of its length, so the rest of the
 * file keeps its place; its index is reported in `bad`.
 */
const packs = new PackHandles();
const isRoot = process.getuid?.() === 0;

export function restoreFile(file: RestoreFile, context: TaskContext, onBytes: (bytes: number) => void, hashSealed = true): ItemResult {
	const bad: number[] = [];
	let bytes = 0;
	const flags = fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW | (file.create ? fs.constants.O_CREAT | fs.constants.O_EXCL : 0);
	const fd = fs.openSync(Buffer.from(file.path), flags, 0o600);
	try {
		if (file.create && file.size !== undefined) {
			// The full size first: a missing last piece still leaves a file of the right length.
			fs.ftruncateSync(fd, file.size);
		}

		for (const [i, piece] of file.pieces.entries()) {
			let raw: Buffer | undefined;
			try {
				raw = decodeBlob(context.key, piece.id, readExact(packs.fd(piece.pack), piece.length, piece.offset), piece.flags, piece.rawLength, hashSealed);
			} catch {
				raw = undefined;
			}

			if (!raw) {
				bad.push(i);
			} else if (!isZero(raw)) {
				// Zeros are left as holes: the file is new and already at its full length, so a
				// sparse file (a VM image, a preallocated database) comes back sparse.
				let done = 0;
				while (done < raw.length) {
					done += fs.writeSync(fd, raw, done, raw.length - done, piece.fileOffset + done);
				}
			}

			bytes += piece.rawLength;
			context.garbage.add(piece.rawLength);
			onBytes(piece.rawLength);
		}

		if (file.finish) {
			finish(fd, file.finish);
		}
	} finally {
		fs.closeSync(fd);
	}

	return {bytes, bad};
}

let zeros = Buffer.alloc(0);

function isZero(data: Buffer): boolean {
	if (zeros.length < data.length) {
		zeros = Buffer.alloc(data.length);
	}

	return data.equals(zeros.subarray(0, data.length));
}

/** Owner first (chown clears setuid), then mode, then mtime. */
function finish(fd: number, {mode, uid, gid, mtimeNs, chown}: FileFinish): void {
	if (chown && isRoot) {
		fs.fchownSync(fd, uid, gid);
	}

	fs.fchmodSync(fd, mode);
	const seconds = utimeOf(BigInt(mtimeNs));
	fs.futimesSync(fd, seconds, seconds);
}

export function restoreTask(task: RestoreTask, context: TaskContext): void {
	const reporter = bytesReporter(context, task.taskId);
	const results: ItemResult[] = task.files.map(file => {
		try {
			return restoreFile(file, context, reporter.add, !task.readBackFollows);
		} catch (error) {
			return {bytes: 0, bad: [], error: errorDetail(error)};
		}
	});
	context.post({type: 'done', taskId: task.taskId, bytes: reporter.take(), files: results});
}
