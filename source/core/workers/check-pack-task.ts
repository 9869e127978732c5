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
	let fd: number | undefined;
	let size: number;
	try {
		fd = fs.openSync(task.pack, 'r');
		size = fs.fstatSync(fd).size;
	} catch (error) {
		if (fd !== undefined) {
			fs.closeSync(fd);
		}

		context.post({type: 'done', taskId: task.taskId, bytes: 0, bad: task.blobs.map((_, i) => i), error: errorDetail(error)});
		return;
	}

	const bad: number[] = [];
	let bytes = 0;
	const order = task.blobs.map((_, i) => i).sort((a, b) => task.blobs[a].offset - task.blobs[b].offset);
	let current = block;
	let start = 0;
	// Nothing read yet: the first blob, even an empty one, reads a block.
	let end = -1;
	try {
		// A blob the index places past the pack's end (a cut pack, an altered index) is bad
		// without reading, and no buffer is sized from its length.
		for (const [done, i] of order.entries()) {
			const blob = task.blobs[i];
			bytes += blob.length;
			context.garbage.add(blob.rawLength);
			if (blob.offset + blob.length > size) {
				bad.push(i);
				continue;
			}

			if (blob.offset < start || blob.offset + blob.length > end) {
				try {
					current = blockFor(blob.length);
					start = blob.offset;
					end = start + readFull(fd, current, start);
				} catch (error) {
					// The medium failed mid-pack: this blob and every later one are unproven.
					bad.push(...order.slice(done));
					context.post({type: 'done', taskId: task.taskId, bytes, bad: bad.sort((a, b) => a - b), error: errorDetail(error)});
					return;
				}
			}

			const stored = blob.offset + blob.length <= end ? current!.subarray(blob.offset - start, blob.offset - start + blob.length) : undefined;
			if (!stored || !decodeBlob(context.key, blob.id, stored, blob.flags, blob.rawLength)) {
				bad.push(i);
			}
		}
	} finally {
		fs.closeSync(fd);
	}

	context.post({type: 'done', taskId: task.taskId, bytes, bad: bad.sort((a, b) => a - b)});
}

/** The worker's block buffer; a blob larger than a block gets a buffer of its own, not kept. */
function blockFor(length: number): Buffer {
	if (length > blockBytes) {
		return Buffer.allocUnsafe(length);
	}

	block ??= Buffer.allocUnsafe(blockBytes);
	return block;
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
