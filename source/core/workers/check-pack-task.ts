import fs from 'node:fs';
import {decodeBlob} from '../repository/blob-codec.js';
import type {CheckPackTask} from './protocol.js';
import {errorDetail, type TaskContext} from './task-context.js';

/** Read one pack whole and open every blob the index places in it; report the ones that fail. */
export function checkPackTask(task: CheckPackTask, context: TaskContext): void {
	let data: Buffer;
	try {
		data = fs.readFileSync(task.pack);
	} catch (error) {
		context.post({type: 'done', taskId: task.taskId, bytes: 0, bad: task.blobs.map((_, i) => i), error: errorDetail(error)});
		return;
	}

	const bad: number[] = [];
	let bytes = 0;
	for (const [i, blob] of task.blobs.entries()) {
		const stored = blob.offset + blob.length <= data.length ? data.subarray(blob.offset, blob.offset + blob.length) : undefined;
		const raw = stored ? decodeBlob(context.key, blob.id, stored, blob.flags, blob.rawLength) : undefined;
		if (!raw) {
			bad.push(i);
		}

		bytes += blob.length;
		context.garbage.add(blob.rawLength);
	}

	context.post({type: 'done', taskId: task.taskId, bytes, bad});
}
