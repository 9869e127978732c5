import fs from 'node:fs';
import {createHash} from 'node:crypto';
import type {CheckFile, CheckFileTask, ItemResult} from './protocol.js';
import {readExact} from './read-exact.js';
import {bytesReporter, errorDetail, type TaskContext} from './task-context.js';

/** Read a restored file back (never through a symlink) and hash each chunk against its id. */
export function checkFile(file: CheckFile, context: TaskContext, onBytes: (bytes: number) => void): ItemResult {
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
			context.garbage.add(length);
			onBytes(length);
		}
	} finally {
		fs.closeSync(fd);
	}

	return {bytes, bad};
}

export function checkFileTask(task: CheckFileTask, context: TaskContext): void {
	const reporter = bytesReporter(context, task.taskId);
	const results: ItemResult[] = task.files.map(file => {
		try {
			return checkFile(file, context, reporter.add);
		} catch (error) {
			return {bytes: 0, bad: [], error: errorDetail(error)};
		}
	});
	context.post({type: 'done', taskId: task.taskId, bytes: reporter.take(), files: results});
}
