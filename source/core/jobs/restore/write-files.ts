import fs from 'node:fs/promises';
import {toBuffer, toText, type BytePath} from '../../byte-path.js';
import type {WorkerPool} from '../../workers/pool.js';
import type {RestoreFile, RestoreTask, WorkerMessage} from '../../workers/protocol.js';
import {GarbageMeter} from '../../memory.js';
import {throwIfAborted, type ProgressReporter} from '../progress.js';
import type {TaskSet} from '../task-set.js';
import type {FileLayout} from './file-layout.js';
import type {FilePlan} from './plan.js';
import {applyMetadata, finishOf, type MetadataPolicy} from './metadata.js';
import type {Region} from './types.js';
import {destinationErrorOf} from './destination.js';
import type {FolderMaker} from './folders.js';

/**
 * Write every planned file through the workers: small files batched, big ones split into ranges
 * that several workers write at once (created here first, at their full size). Each file's
 * outcome records a write error or the pieces that could not be restored (left as holes).
 */
export class FileOutcome {
	failed?: string;
	private movedTo?: BytePath;

	constructor(
		readonly plan: FilePlan,
		/** How many ranges it was written in (one: in one task, with its metadata). */
		readonly rangeCount: number,
		/** Holes: chunks the index had lost, then pieces that failed while writing (unreadable pack, failed check). */
		readonly lost: Region[],
		private readonly base: BytePath,
	) {}

	/** Absolute path where the file is now; made when asked, not kept for every file. */
	get target(): BytePath {
		return this.movedTo ?? `${this.base}/${this.plan.entry.path}`;
	}

	set target(path: BytePath) {
		this.movedTo = path;
	}
}

export type WriteContext = {
	pool: WorkerPool;
	tasks: TaskSet;
	reporter: ProgressReporter;
	base: BytePath;
	policy: MetadataPolicy;
	signal: AbortSignal | undefined;
	/** The restore folder as given, to name it when its disk fails (default: base). */
	into?: string;
	layout: (file: FilePlan) => FileLayout;
	/** Makes and checks each file's folder before the file is sent to a worker. */
	folders: FolderMaker;
	/** Every restored byte will be read back and hashed: the workers need not hash sealed blobs first. */
	readBackFollows?: boolean;
};

const batchFiles = 128;
const batchBytes = 8 * 1024 * 1024;

type Item = {outcome: FileOutcome; file: RestoreFile};

export async function writeFiles(plans: FilePlan[], context: WriteContext): Promise<FileOutcome[]> {
	const {pool, tasks, reporter, signal} = context;
	const outcomes: FileOutcome[] = [];
	let batch: Item[] = [];
	let size = 0;
	// Each batch's paths and results die when it is done; collect as they pass, or V8 lets the
	// old generation grow by hundreds of megabytes over 200,000 files before it looks.
	const garbage = new GarbageMeter(16 * 1024 * 1024, 32 * 1024 * 1024);
	const onBytes = (message: WorkerMessage) => {
		if (message.type === 'bytes') {
			reporter.bytesDone += message.bytes;
		}
	};

	// A full or failing destination stops the restore: every later file would fail the same way.
	let stopped: Error | undefined;
	const send = async () => {
		const items = batch;
		batch = [];
		size = 0;
		if (stopped) {
			throw stopped;
		}

		await tasks.unlessAborted(pool.slot());
		throwIfAborted(signal);
		reporter.currentPath = toText(items[0].outcome.plan.entry.path);
		tasks.add(pool.run<RestoreTask>({kind: 'restore', files: items.map(item => item.file), readBackFollows: context.readBackFollows}, onBytes).then(done => {
			reporter.bytesDone += done.bytes;
			garbage.add(done.bytes + (items.length * 1024));
			for (const [i, {outcome, file}] of items.entries()) {
				const result = done.files?.[i] ?? {bytes: 0, bad: [], error: done.error ?? {code: 'EIO', message: 'no result'}};
				if (result.error) {
					outcome.failed = `${result.error.code}: ${result.error.message}`;
					stopped ??= destinationErrorOf(outcome.failed, context.into ?? context.base);
				}

				for (const index of result.bad) {
					const piece = file.pieces[index];
					outcome.lost.push({offset: piece.fileOffset, length: piece.rawLength});
				}

				// A file written in one piece is done now; one in several ranges once all are (below).
				if (file.create) {
					reporter.filesDone++;
				}
			}
		}));
	};

	for (const plan of plans) {
		throwIfAborted(signal);
		context.folders.parentOf(plan.entry.path);
		const {ranges, missing} = context.layout(plan);
		const outcome = new FileOutcome(plan, ranges.length, missing, context.base);
		outcomes.push(outcome);
		const whole = ranges.length === 1;
		if (!whole) {
			const handle = await fs.open(toBuffer(outcome.target), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
			await handle.truncate(plan.size);
			await handle.close();
		}

		for (const range of ranges) {
			batch.push({outcome, file: {
				path: toBuffer(outcome.target),
				pieces: range.pieces,
				create: whole,
				...(whole ? {size: plan.size, finish: finishOf(plan.entry, context.policy)} : {}),
			}});
			size += range.pieces.reduce((sum, piece) => sum + piece.rawLength, 0);
			if (!whole || batch.length >= batchFiles || size >= batchBytes) {
				await send();
			}
		}
	}

	if (batch.length > 0) {
		await send();
	}

	await tasks.settle();
	if (stopped) {
		throw stopped;
	}

	reporter.currentPath = undefined;
	for (const outcome of outcomes) {
		if (outcome.rangeCount > 1 && !outcome.failed) {
			applyMetadata(outcome.target, outcome.plan.entry, 'file', context.policy);
		}

		if (outcome.rangeCount !== 1) {
			reporter.filesDone++;
		}
	}

	return outcomes;
}
