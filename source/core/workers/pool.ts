import {Worker} from 'node:worker_threads';
import os from 'node:os';
import {SedaiError} from '../errors.js';
import type {DoneMessage, WorkerInit, WorkerMessage, WorkerTask} from './protocol.js';
import {embeddedWorker} from './embedded-worker.js';

/**
 * A fixed set of worker threads, each running one task at a time (plus one queued, so a worker
 * never idles while the coordinator reacts). Tasks are whole files, file segments or packs.
 */
const fromSource = import.meta.url.endsWith('.ts');

function startWorker(init: WorkerInit): Worker {
	// A small heap makes V8 collect the many short-lived chunk buffers early: flat memory.
	const options = {workerData: init, resourceLimits: {maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128}};
	// The one-file executable carries the worker's code in itself (scripts/bundle.ts).
	if (embeddedWorker !== undefined) {
		return new Worker(embeddedWorker, {...options, eval: true});
	}

	const workerUrl = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
	// Tests run the TypeScript sources directly: their workers register tsx before loading.
	const sourceBootstrap = `import('tsx/esm/api').then(api => { api.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
	return fromSource ? new Worker(sourceBootstrap, {...options, eval: true}) : new Worker(workerUrl, options);
}

export function defaultWorkerCount(): number {
	const fromEnvironment = Number(process.env['SEDAI_WORKERS']);
	if (Number.isInteger(fromEnvironment) && fromEnvironment > 0) {
		return fromEnvironment;
	}

	return Math.max(1, Math.min(8, os.availableParallelism()));
}

type Pending = {
	resolve: (message: DoneMessage) => void;
	reject: (error: unknown) => void;
	onMessage?: (message: WorkerMessage) => void;
	worker: Worker;
};

export class WorkerPool {
	private readonly workers: Worker[] = [];
	private readonly load = new Map<Worker, number>();
	private readonly pending = new Map<number, Pending>();
	private readonly waiting: Array<() => void> = [];
	private nextTaskId = 1;
	private closed = false;
	private failure: unknown;

	constructor(init: WorkerInit, readonly size = defaultWorkerCount(), private readonly perWorker = 2) {
		for (let i = 0; i < size; i++) {
			const worker = startWorker(init);
			worker.on('message', (message: WorkerMessage) => {
				this.onMessage(worker, message);
			});
			worker.on('error', error => {
				this.fail(error);
			});
			worker.on('exit', code => {
				if (!this.closed) {
					this.fail(new Error(`a worker thread stopped unexpectedly (exit code ${code})`));
				}
			});
			this.workers.push(worker);
			this.load.set(worker, 0);
		}
	}

	get capacity(): number {
		return this.size * this.perWorker;
	}

	get busy(): number {
		return this.pending.size;
	}

	/** Resolves when a slot is free; rejects once the pool failed or was closed. */
	async slot(): Promise<void> {
		while (this.pending.size >= this.capacity) {
			this.throwIfUnusable();

			await new Promise<void>(resolve => {
				this.waiting.push(resolve);
			});
		}

		this.throwIfUnusable();
	}

	async run<T extends WorkerTask>(task: Omit<T, 'taskId'>, onMessage?: (message: WorkerMessage) => void, transfer: ArrayBuffer[] = []): Promise<DoneMessage> {
		this.throwIfUnusable();

		const taskId = this.nextTaskId++;
		const worker = this.leastLoaded();
		this.load.set(worker, this.load.get(worker)! + 1);
		return new Promise<DoneMessage>((resolve, reject) => {
			this.pending.set(taskId, {resolve, reject, onMessage, worker});
			worker.postMessage({...task, taskId}, transfer);
		});
	}

	/** Stop every thread; tasks still running reject with a 'cancelled' SedaiError (a job stopping is no crash). */
	async close(): Promise<void> {
		if (this.closed) {
			return;
		}

		this.closed = true;
		// Idle workers leave by themselves: terminating an isolate while V8 still compiles in it
		// can abort the whole process on Node 20. Busy ones (a cancel) are terminated.
		const idle = this.pending.size === 0;
		await Promise.all(this.workers.map(async worker => idle ? leave(worker) : worker.terminate()));
		for (const pending of this.pending.values()) {
			pending.reject(poolClosedError());
		}

		this.pending.clear();
		this.wake();
	}

	private throwIfUnusable(): void {
		if (this.failure) {
			throw this.failure;
		}

		if (this.closed) {
			throw poolClosedError();
		}
	}

	private leastLoaded(): Worker {
		let best = this.workers[0];
		for (const worker of this.workers) {
			if (this.load.get(worker)! < this.load.get(best)!) {
				best = worker;
			}
		}

		return best;
	}

	private onMessage(worker: Worker, message: WorkerMessage): void {
		const pending = this.pending.get(message.taskId);
		if (!pending) {
			return;
		}

		if (message.type === 'done') {
			this.pending.delete(message.taskId);
			this.load.set(worker, this.load.get(worker)! - 1);
			pending.resolve(message);
			this.wake();
		} else {
			pending.onMessage?.(message);
		}
	}

	private fail(error: unknown): void {
		this.failure ??= new SedaiError('io', `A worker thread failed (${error instanceof Error ? error.message : String(error)}): nothing was sealed and earlier generations are intact; run the job again, and report this if it repeats.`);
		for (const pending of this.pending.values()) {
			pending.reject(this.failure);
		}

		this.pending.clear();
		this.wake();
	}

	private wake(): void {
		for (const resolve of this.waiting.splice(0)) {
			resolve();
		}
	}
}

function poolClosedError(): SedaiError {
	return new SedaiError('cancelled', 'The job was cancelled: nothing was sealed, earlier generations are untouched, and data already written will be reused by the next run.');
}

/** Ask an idle worker to close its port and exit; terminate it if it has not within 2 s. */
async function leave(worker: Worker): Promise<void> {
	await new Promise<void>(resolve => {
		const timer = setTimeout(() => {
			void worker.terminate().finally(resolve);
		}, 2000);
		worker.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		worker.postMessage({kind: 'exit'});
	});
}
