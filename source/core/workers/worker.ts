import {getPriority, setPriority} from 'node:os';
import {parentPort, workerData} from 'node:worker_threads';
import {GarbageMeter} from '../memory.js';
import {loadZstd} from '../repository/compression.js';
import type {WorkerInit, WorkerMessage, WorkerTask} from './protocol.js';
import type {TaskContext} from './task-context.js';
import {createChunkTask} from './chunk-task.js';
import {restoreTask} from './restore-task.js';
import {checkFileTask} from './check-file-task.js';
import {checkPackTask} from './check-pack-task.js';

/**
 * The CPU-heavy half of every job: chunk + hash + compress + seal for backup, read + open +
 * verify + write for restore, re-hash for checks. Synchronous I/O is fine here: it blocks only
 * this thread. Each task kind lives in its own file; this one only dispatches.
 */
const init = workerData as WorkerInit;

// Ten steps nicer than the main thread (on Linux a thread's own setting): the coordinator, and in
// the console the keys and frames, share the main thread, and two workers on two cores left it a
// fraction of one. An idle machine is unchanged; on a busy EHR server its own processes come first.
try {
	setPriority(0, Math.min(19, getPriority(0) + 10));
} catch {}

// Chunks leave short-lived buffers outside the JS heap: collect them every few megabytes.
const garbage = new GarbageMeter();
const key = init.key ? Buffer.from(init.key) : undefined;

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
	parentPort!.postMessage(message, transfer);
}

const context: TaskContext = {key, post, garbage};
const chunkTask = createChunkTask(init, post);

// Zstd's WebAssembly starts asynchronously: tasks wait for it, in the order they came.
const ready = loadZstd().catch(() => undefined);

parentPort!.on('message', (task: WorkerTask | {kind: 'exit'}) => {
	void ready.then(() => {
		run(task);
	});
});

function run(task: WorkerTask | {kind: 'exit'}): void {
	if (task.kind === 'exit') {
		// Nothing else keeps this thread alive: it ends once the port is closed.
		parentPort!.close();
		return;
	}

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
}
