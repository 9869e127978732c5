import fs from 'node:fs/promises';
import {toBuffer, toText, type BytePath} from '../../byte-path.js';
import type {Entry} from '../../repository/manifest.js';
import type {WorkerPool} from '../../workers/pool.js';
import type {CheckFile, CheckFileTask, WorkerMessage} from '../../workers/protocol.js';
import {throwIfAborted, type ProgressReporter} from '../progress.js';
import type {TaskSet} from '../task-set.js';
import type {FileOutcome} from './write-files.js';
import type {RestoreProblem} from './types.js';

/**
 * Prove the restore: every file not already reported is read back from the target and each
 * chunk hashed against its id; every symlink's target is read back. Adds what differs to
 * `mismatches`.
 */
export type ReadBackContext = {
	pool: WorkerPool;
	tasks: TaskSet;
	reporter: ProgressReporter;
	base: BytePath;
	signal: AbortSignal | undefined;
	mismatches: RestoreProblem[];
};

const batchFiles = 128;
const batchBytes = 8 * 1024 * 1024;

export async function readBack(outcomes: FileOutcome[], symlinks: Entry[], context: ReadBackContext): Promise<void> {
	const {pool, tasks, reporter, signal, mismatches} = context;
	const failed = new Set(mismatches.map(problem => problem.path));
	const report = (path: string, reason: string) => {
		if (!failed.has(path)) {
			failed.add(path);
			mismatches.push({path, reason});
		}
	};

	let batch: Array<{path: string; file: CheckFile}> = [];
	let size = 0;
	const onBytes = (message: WorkerMessage) => {
		if (message.type === 'bytes') {
			reporter.bytesDone += message.bytes;
		}
	};

	const send = async () => {
		const items = batch;
		batch = [];
		size = 0;
		await tasks.unlessAborted(pool.slot());
		throwIfAborted(signal);
		tasks.add(pool.run<CheckFileTask>({kind: 'check-file', files: items.map(item => item.file)}, onBytes).then(done => {
			reporter.bytesDone += done.bytes;
			for (const [i, {path}] of items.entries()) {
				const result = done.files?.[i];
				if (result === undefined || result.error !== undefined || result.bad.length > 0) {
					report(path, result?.error ? `could not be read back (${result.error.code})` : 'restored bytes differ from the generation');
				}

				reporter.filesDone++;
			}
		}));
	};

	for (const outcome of outcomes) {
		const path = toText(outcome.plan.entry.path);
		if (failed.has(path)) {
			continue;
		}

		const stats = await fs.lstat(toBuffer(outcome.target)).catch(() => undefined);
		if (!stats?.isFile() || stats.size !== outcome.plan.size) {
			report(path, stats ? `size ${stats.size} differs from ${outcome.plan.size}` : 'missing after restore');
			continue;
		}

		// A file in one range with a whole-file hash (format 2) is checked in one hash.
		const {sha256} = outcome.plan.entry;
		const whole = sha256 && outcome.plan.ranges.length === 1 ? {sha256} : {};
		for (const {pieces} of outcome.plan.ranges) {
			batch.push({path, file: {
				path: toBuffer(outcome.target),
				ids: Buffer.concat(pieces.map(piece => piece.id)),
				lengths: pieces.map(piece => piece.rawLength),
				start: pieces[0]?.fileOffset ?? 0,
				...whole,
			}});
			size += pieces.reduce((sum, piece) => sum + piece.rawLength, 0);
			if (batch.length >= batchFiles || size >= batchBytes) {
				await send();
			}
		}
	}

	if (batch.length > 0) {
		await send();
	}

	await tasks.settle();
	for (const entry of symlinks) {
		const target = await fs.readlink(toBuffer(`${context.base}/${entry.path}`), {encoding: 'buffer'}).catch(() => undefined);
		if (target?.toString('latin1') !== entry.target) {
			mismatches.push({path: toText(entry.path), reason: 'symlink target differs from the generation'});
		}
	}
}
