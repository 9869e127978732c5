import fs from 'node:fs/promises';
import {toBuffer, toText, type BytePath} from '../../byte-path.js';
import type {Entry} from '../../repository/manifest.js';
import type {WorkerPool} from '../../workers/pool.js';
import type {CheckFile, CheckFileTask, WorkerMessage} from '../../workers/protocol.js';
import {throwIfAborted, type ProgressReporter} from '../progress.js';
import type {TaskSet} from '../task-set.js';
import type {FileLayout} from './file-layout.js';
import type {FilePlan} from './plan.js';
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
	layout: (file: FilePlan) => FileLayout;
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
					report(path, result?.error ? readBackFailure(result.error) : 'restored bytes differ from the generation');
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

		// A file in one range with a whole-file hash (format 2) is checked in one hash.
		const {sha256} = outcome.plan.entry;
		const {ranges} = context.layout(outcome.plan);
		const whole = sha256 && ranges.length === 1 ? {sha256} : {};
		// Even a file with no piece is opened once: its presence and size are checked there.
		for (const {pieces} of ranges.length > 0 ? ranges : [{pieces: []}]) {
			batch.push({path, file: {
				path: toBuffer(outcome.target),
				ids: Buffer.concat(pieces.map(piece => piece.id)),
				lengths: pieces.map(piece => piece.rawLength),
				start: pieces[0]?.fileOffset ?? 0,
				size: outcome.plan.size,
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

/** What the technician reads for a file that could not be read back. */
function readBackFailure(error: {code: string; message: string}): string {
	switch (error.code) {
		case 'ENOENT': {
			return 'missing after restore';
		}

		case 'ESIZE':
		case 'ENOTFILE': {
			return error.message;
		}

		case 'ELOOP': {
			return 'a symlink stands where the file was restored';
		}

		default: {
			return `could not be read back (${error.code})`;
		}
	}
}

