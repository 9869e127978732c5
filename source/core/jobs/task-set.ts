import {cancelledError} from './progress.js';

/**
 * The worker tasks a coordinator has in flight. Each task's outcome is handled the moment it is
 * added, so a pool closed by a cancel can reject them all without an unhandled rejection; the
 * first failure is kept and thrown by `settle`. Waits end as soon as the signal aborts, whatever
 * the pool does with the tasks it still holds.
 */
export class TaskSet {
	private readonly running: Array<Promise<void>> = [];
	private failure: {error: unknown} | undefined;

	constructor(private readonly signal: AbortSignal | undefined) {}

	add(task: Promise<unknown>): void {
		this.running.push(task.then(() => undefined, (error: unknown) => {
			this.failure ??= {error};
		}));
	}

	/** Waits for `promise`, or throws the cancelled error once the signal aborts. */
	async unlessAborted<T>(promise: Promise<T>): Promise<T> {
		const {signal} = this;
		if (!signal) {
			return promise;
		}

		if (signal.aborted) {
			promise.catch(() => undefined);
			throw cancelledError();
		}

		let onAbort: (() => void) | undefined;
		const aborted = new Promise<never>((_, reject) => {
			onAbort = () => {
				reject(cancelledError());
			};

			signal.addEventListener('abort', onAbort, {once: true});
		});
		try {
			return await Promise.race([promise, aborted]);
		} finally {
			signal.removeEventListener('abort', onAbort!);
			promise.catch(() => undefined);
		}
	}

	/** Every task added so far has ended; throws the cancelled error or the first failure. */
	async settle(): Promise<void> {
		await this.unlessAborted(Promise.all(this.running));
		this.running.length = 0;
		if (this.signal?.aborted) {
			throw cancelledError();
		}

		if (this.failure) {
			throw this.failure.error;
		}
	}
}
