import type {WorkerMessage} from './protocol.js';

/**
 * What a task needs from the thread it runs in: the repository key, a way to post messages to
 * the coordinator, and the garbage meter. Passed in, so a task runs (and is unit-tested) anywhere.
 */
export type TaskContext = {
	key: Buffer | undefined;
	post: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void;
	garbage: {add(bytes: number): void};
};

export type ErrorDetail = {code: string; message: string};

export function errorDetail(error: unknown): ErrorDetail {
	return {code: (error as {code?: string}).code ?? 'EIO', message: error instanceof Error ? error.message : String(error)};
}

/** Counts bytes and posts them at most every 100 ms, so progress moves without flooding the port. */
export function bytesReporter(context: TaskContext, taskId: number): {add: (bytes: number) => void; take: () => number} {
	let unreported = 0;
	let last = performance.now();
	return {
		add(bytes) {
			unreported += bytes;
			if (performance.now() - last > 100) {
				context.post({type: 'bytes', taskId, bytes: unreported});
				unreported = 0;
				last = performance.now();
			}
		},
		take() {
			const bytes = unreported;
			unreported = 0;
			return bytes;
		},
	};
}
