import fs from 'node:fs';
import {decodeBlob} from '../repository/blob-codec.js';
import type {CheckPackTask} from './protocol.js';
import {errorDetail, type TaskContext} from './task-context.js';

/**
 * Read one pack in blocks, in offset order, and open every blob the index places in it; report
 * the ones that fail. One block buffer per worker, reused: reading each 16 MB pack whole made a
 * new external buffer per task (the verify's peak memory, and V8 collecting for it).
 */
const blockBytes = 4 * 1024 * 1024;
let block: Buffer | undefined;

export function checkPackTask(task: CheckPackTask, context: TaskContext): void {
	let fd: number;
	try {
		fd = fs.openSync(task.pack, 'r');
	} catch (error) {
		context.post({type: 'done', taskId: task.taskId, bytes: 0, bad: task.blobs.map((_, i) => i), error: errorDetail(error)});
		return;
	}

	const bad: number[] = [];
	let bytes = 0;
	const order = task.blobs.map((_, i) => i).sort((a, b) => task.blobs[a].offset - task.blobs[b].offset);
	let start = 0;
	let end = 0;
	try {
		for (const [done, i] of order.entries()) {
			const blob = task.blobs[i];
			if (blob.offset < start || blob.offset + blob.length > end) {
				try {
					block = block && block.length >= Math.max(blockBytes, blob.length) ? block : Buffer.allocUnsafe(Math.max(blockBytes, blob.length));
					start = blob.offset;
					end = start + readFull(fd, block, start);
				} catch (error) {
					// The medium failed mid-pack: this blob and every later one are unproven.
					bad.push(...order.slice(done));
					context.post({type: 'done', taskId: task.taskId, bytes, bad: bad.sort((a, b) => a - b), error: errorDetail(error)});
					return;
				}
			}

			const stored = blob.offset + blob.length <= end ? block!.subarray(blob.offset - start, blob.offset - start + blob.length) : undefined;
			if (!stored || !decodeBlob(context.key, blob.id, stored, blob.flags, blob.rawLength)) {
				bad.push(i);
			}

			bytes += blob.length;
			context.garbage.add(blob.rawLength);
		}
	} finally {
		fs.closeSync(fd);
	}

	context.post({type: 'done', taskId: task.taskId, bytes, bad: bad.sort((a, b) => a - b)});
}

/** Fill the buffer from `position`, short only at the end of the file; the bytes read. */
function readFull(fd: number, buffer: Buffer, position: number): number {
	let filled = 0;
	while (filled < buffer.length) {
		const read = fs.readSync(fd, buffer, filled, buffer.length - filled, position + filled);
		if (read === 0) {
			break;
		}

		filled += read;
	}

	return filled;
}
