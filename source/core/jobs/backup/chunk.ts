import {toBuffer, toText, type BytePath} from '../../byte-path.js';
import {GarbageMeter} from '../../memory.js';
import {WorkerPool} from '../../workers/pool.js';
import type {ChunkItemResult, ChunkTask, WorkerInit, WorkerMessage} from '../../workers/protocol.js';
import {cancelledError, throwIfAborted, type ProgressReporter} from '../progress.js';
import type {WalkedEntry} from '../walk.js';
import {digestOf, segmentSize, type FilePlan} from './plan.js';
import type {BlobSink} from './pack.js';

/**
 * Chunk: every file some repository must read, read once on a worker thread for all of them.
 * Big files go first as segments spread over the workers, then small files in batches.
 */
export type ReadWork = {
	source: WalkedEntry;
	whole: boolean;
	segments: number;
	/** Target indexes that need the file, and each one's plan for it (same order). */
	targets: number[];
	plans: FilePlan[];
	segmentsDone: number;
	failed?: string;
	bytes: number;
};

export type BatchItem = {work: ReadWork; segment: number};

export const batchLimits = {files: 128, bytes: 8 * 1024 * 1024};
const queueLimit = 16 * 1024 * 1024;

/** Each target's file plans in walk order; a slot is emptied once its read is handed out. */
export type PlanLists = Array<Array<FilePlan | undefined> | undefined>;

/**
 * One read per walked file, whichever repositories need it (`plans[t]` is target t's file list,
 * in walk order), made as the queue reaches it: 200,000 changed files never exist as 200,000
 * reads and batches at once. `pick` chooses the reads; `release` empties the slots it took.
 */
export function * mergeReads(walked: readonly WalkedEntry[], plans: PlanLists, pick: (plan: FilePlan) => boolean = () => true, release = false): Generator<ReadWork> {
	const cursors = plans.map(() => 0);
	for (const source of walked) {
		let work: ReadWork | undefined;
		for (const [target, files] of plans.entries()) {
			if (!files) {
				continue;
			}

			while (cursors[target] < files.length && files[cursors[target]] === undefined) {
				cursors[target]++;
			}

			const plan = files[cursors[target]];
			if (plan?.source !== source) {
				continue;
			}

			cursors[target]++;
			if (!pick(plan)) {
				continue;
			}

			if (release) {
				files[cursors[target] - 1] = undefined;
			}

			work ??= {source, whole: plan.whole, segments: plan.segments, targets: [], plans: [], segmentsDone: 0, bytes: 0};
			work.targets.push(target);
			work.plans.push(plan);
		}

		if (work) {
			yield work;
		}
	}
}

/** How many files the reads cover and their bytes (a pass that keeps nothing). */
export function readTotals(works: Iterable<ReadWork>): {count: number; bytes: number} {
	let count = 0;
	let bytes = 0;
	for (const work of works) {
		count++;
		bytes += work.source.size;
	}

	return {count, bytes};
}

/**
 * Segments of big files (largest first), one per batch; then small files, up to the file and
 * byte limits. `works` is asked twice: once for the big files (few, held to sort them), then
 * for the small ones, batched as they come.
 */
export function * makeBatches(works: (whole: boolean) => Iterable<ReadWork>, limits = batchLimits): Generator<BatchItem[]> {
	const big = [...works(false)].sort((a, b) => b.source.size - a.source.size);
	for (const work of big) {
		for (let segment = 0; segment < work.segments; segment++) {
			yield [{work, segment}];
		}
	}

	big.length = 0;
	let batch: BatchItem[] = [];
	let bytes = 0;
	for (const work of works(true)) {
		batch.push({work, segment: 0});
		bytes += work.source.size;
		if (batch.length >= limits.files || bytes >= limits.bytes) {
			yield batch;
			batch = [];
			bytes = 0;
		}
	}

	if (batch.length > 0) {
		yield batch;
	}
}

export type ChunkOptions = {
	init: WorkerInit;
	workers: number | undefined;
	/** Per target index; a missing or failed sink gets nothing more. */
	sinks: Array<BlobSink | undefined>;
	/** Per target index: files read whole into that repository, counted as they complete. */
	changed: number[];
	reporter: ProgressReporter;
	signal: AbortSignal | undefined;
	/** Where a walked path is on this machine. */
	absoluteOf: (path: BytePath) => BytePath;
};

/**
 * Run every batch on the pool. Resolves when all have settled; rejects once (cancelled, or the
 * pool failing) after every task has settled, so nothing is left to reject unhandled.
 */
export async function chunkFiles(batches: Iterable<BatchItem[]>, options: ChunkOptions): Promise<ReadWork[]> {
	const problems: ReadWork[] = [];
	const queue = batches[Symbol.iterator]();
	let next = queue.next();
	if (next.done) {
		return problems;
	}

	const {sinks, reporter, signal} = options;
	const pool = new WorkerPool(options.init, options.workers);
	let failure: unknown;
	const stop = (error: unknown) => {
		failure ??= error;
		void pool.close();
	};

	const onAbort = () => {
		stop(cancelledError());
	};

	signal?.addEventListener('abort', onAbort);
	// Batches from workers are freed only when this thread collects: do it as they pass through,
	// metered by bytes read (what is stored can be tiny: compressible notes left V8 alone to 600 MB).
	const received = new GarbageMeter(16 * 1024 * 1024, 32 * 1024 * 1024);
	const onMessage = (message: WorkerMessage) => {
		if (message.type === 'blobs') {
			reporter.bytesDone += message.bytes;
			received.add(Math.max(message.bytes, sinks[message.target ?? 0]?.accept(message) ?? 0));
		}
	};

	const running = new Set<Promise<void>>();
	try {
		// Batches are made as they are handed out: a finished file then holds only its entry.
		for (; !next.done; next = queue.next()) {
			const items = next.value;
			if (failure !== undefined || sinks.every(sink => !sink || sink.failure)) {
				break;
			}

			throwIfAborted(signal);
			await pool.slot();
			while (sinks.reduce((sum, sink) => sum + (sink?.queuedBytes ?? 0), 0) > queueLimit) {
				await Promise.all(sinks.map(async sink => sink?.drain()));
			}

			reporter.currentPath = toText(options.absoluteOf(items[0].work.source.path));
			const task: Omit<ChunkTask, 'taskId'> = {kind: 'chunk', items: items.map(({work, segment}) => {
				const start = segment * segmentSize;
				return {path: toBuffer(options.absoluteOf(work.source.path)), start, end: Math.min(work.source.size, start + segmentSize), whole: work.whole, hash: work.segments === 1, targets: work.targets};
			})};
			const promise: Promise<void> = pool.run<ChunkTask>(task, onMessage).then(done => {
				reporter.bytesDone += done.bytes;
				received.add(done.bytes);
				for (const [i, item] of items.entries()) {
					record(item, done.items?.[i] ?? {bytes: 0, error: done.error ?? {code: 'EIO', message: 'no result from the worker'}}, {reporter, changed: options.changed, problems});
				}
			}).catch(stop).finally(() => {
				running.delete(promise);
			});
			running.add(promise);
		}
	} catch (error) {
		stop(error);
	} finally {
		await Promise.all(running);
		signal?.removeEventListener('abort', onAbort);
		await pool.close();
	}

	if (signal?.aborted) {
		throw cancelledError();
	}

	if (failure !== undefined) {
		throw failure;
	}

	return problems;
}

type Tally = {reporter: ProgressReporter; changed: number[]; problems: ReadWork[]};

/** One item's result; a file that failed or changed size while read joins `problems` once. */
function record({work, segment}: BatchItem, result: ChunkItemResult, {reporter, changed, problems}: Tally): void {
	if (result.error) {
		if (work.failed === undefined) {
			problems.push(work);
		}

		work.failed = `${result.error.code}: ${result.error.message}`;
		for (const plan of work.plans) {
			plan.failed = work.failed;
		}

		return;
	}

	work.bytes += result.bytes;
	if (result.entropy !== undefined) {
		work.source.entropy = result.entropy;
	}

	for (const [k, plan] of work.plans.entries()) {
		plan.results[segment] = result.chunks?.[k];
		plan.bytes += result.bytes;
		if (result.sha256 && work.segments === 1) {
			plan.sha256 = result.sha256;
		}
	}

	if (++work.segmentsDone === work.segments) {
		reporter.filesDone++;
		if (work.bytes !== work.source.size) {
			problems.push(work);
		}

		for (const [k, plan] of work.plans.entries()) {
			finishFile(plan);
			changed[work.targets[k]]++;
		}
	}
}

/**
 * A file read whole gets its chunk list and digest now, not at the end: the per-segment results
 * go, so 200,000 finished files hold their entries and nothing else while the rest are read.
 */
function finishFile(plan: FilePlan): void {
	const {results} = plan;
	const chunks = results.length === 1 ? asBuffer(results[0]!) : Buffer.concat(results as Uint8Array[]);
	plan.entry.chunks = chunks;
	plan.entry.size = plan.bytes;
	if (plan.sha256) {
		plan.entry.sha256 = digestOf(chunks, asBuffer(plan.sha256));
		plan.sha256 = undefined;
	}

	plan.results = [];
}

/** The same bytes as a Buffer (the manifest's type), without a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
