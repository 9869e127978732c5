import fs from 'node:fs/promises';
import {lstatSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {SedaiError, describeIoError, isSedaiError} from '../errors.js';
import {dirname, fromText, isSafeRelative, isWithin, toBuffer, toText, type BytePath} from '../byte-path.js';
import type {Repository} from '../repository/repository.js';
import type {BlobIndex} from '../repository/blob-index.js';
import type {GenerationInfo} from '../repository/generations.js';
import {chunkCount, chunkId, type Entry} from '../repository/manifest.js';
import {packPath} from '../repository/layout.js';
import {WorkerPool} from '../workers/pool.js';
import type {CheckFile, CheckFileTask, RestoreFile, RestorePiece, RestoreTask, WorkerMessage} from '../workers/protocol.js';
import type {JobOptions} from './events.js';
import {ProgressReporter, cancelledError, throwIfAborted} from './progress.js';

/**
 * Restore a generation (or parts of it) into a folder, then prove it: every restored file is
 * read back and hashed against the manifest. Nothing is written outside the target: unsafe
 * manifest paths are refused, files are created exclusively and never through a symlink, and
 * symlinks are made last so no restored link can redirect a later write.
 */
export type RestoreOptions = JobOptions & {
	generation: string;
	into: string;
	/** Paths inside the generation (as shown by ls), each restoring that file or subtree. */
	include?: string[];
	force?: boolean;
	workers?: number;
	/** Re-read and hash every restored file (default true). */
	verify?: boolean;
};

export type RestoreProblem = {path: string; reason: string};

export type RestoreResult = {
	generation: GenerationInfo;
	into: string;
	files: number;
	dirs: number;
	symlinks: number;
	bytes: number;
	/** Time to restore (the recovery time objective measured), without the verification pass. */
	restoreMs: number;
	verifyMs: number;
	verified: boolean;
	/** Files whose restored bytes do not match the manifest (or could not be restored). */
	mismatches: RestoreProblem[];
	/** Manifest entries refused because they would land outside the target. */
	refused: RestoreProblem[];
	warnings: number;
};

const batchFiles = 128;
const batchBytes = 8 * 1024 * 1024;
const rangeBytes = 32 * 1024 * 1024;

type Job = {entry: Entry; target: BytePath; chunks: Entry; ranges: Array<{pieces: RestorePiece[]; start: number; lengths: number[]; ids: Buffer}>; missing: number; failed?: string};

export async function runRestore(repository: Repository, options: RestoreOptions): Promise<RestoreResult> {
	const reporter = new ProgressReporter('restore', options);
	const {signal} = options;
	throwIfAborted(signal);
	reporter.start();
	const lock = await repository.lock('read', 'restore', message => {
		reporter.warn('stale-lock', message);
	});
	let pool: WorkerPool | undefined;
	const onAbort = () => {
		void pool?.close();
	};

	signal?.addEventListener('abort', onAbort);
	try {
		reporter.setPhase('open', 'Reading the generation');
		const generation = await repository.resolveGeneration(options.generation);
		const {entries} = await repository.readGeneration(generation.id);
		const {index} = await repository.loadIndex();
		const selected = select(entries, options.include ?? [], generation);
		const into = path.resolve(options.into);
		await prepareTarget(into, options.force ?? false);
		const base = fromText(await fs.realpath(into));

		const refused: RestoreProblem[] = [];
		const mismatches: RestoreProblem[] = [];
		const byPath = new Map(entries.map(entry => [entry.path, entry]));
		const safe = selected.filter(entry => {
			if (!isSafeRelative(entry.path)) {
				refused.push({path: toText(entry.path), reason: 'the path would land outside the restore folder'});
				reporter.warn('unsafe-path', `Refused "${toText(entry.path)}": its path would land outside ${into}. The generation may have been tampered with.`, toText(entry.path));
				return false;
			}

			return true;
		});
		const selectedPaths = new Set(safe.map(entry => entry.path));

		// Directories first (sorted, parents before children), each checked to be a real folder.
		const verifiedDirectories = new Set<BytePath>(['']);
		const ensureParent = (relative: BytePath): void => {
			const parent = dirname(relative);
			if (verifiedDirectories.has(parent)) {
				return;
			}

			ensureParent(parent);
			const absolute = toBuffer(`${base}/${parent}`);
			try {
				mkdirSync(absolute, {mode: 0o700});
			} catch (error) {
				if ((error as {code?: string}).code !== 'EEXIST') {
					throw error;
				}
			}

			const stats = lstatSync(absolute);
			if (!stats.isDirectory()) {
				throw new SedaiError('unsafe-path', `${toText(`${base}/${parent}`)} exists and is not a folder (maybe a symlink): restore into an empty folder instead.`);
			}

			verifiedDirectories.add(parent);
		};

		reporter.setPhase('restore', `Restoring ${safe.length} entries into ${into}`);
		const jobs: Job[] = [];
		const hardlinks: Entry[] = [];
		const symlinks: Entry[] = [];
		const directories: Entry[] = [];
		for (const entry of safe) {
			if (entry.type === 'dir') {
				ensureParent(`${entry.path}/x`);
				directories.push(entry);
				continue;
			}

			if (entry.type === 'symlink') {
				symlinks.push(entry);
				continue;
			}

			let content = entry;
			if (entry.type === 'hardlink') {
				const leader = byPath.get(entry.target!);
				if (leader && selectedPaths.has(leader.path) && isSafeRelative(leader.path)) {
					hardlinks.push(entry);
					continue;
				}

				if (!leader?.chunks) {
					mismatches.push({path: toText(entry.path), reason: 'hardlink to a file missing from the generation'});
					continue;
				}

				content = leader;
			}

			ensureParent(entry.path);
			jobs.push(planFile(entry, content, `${base}/${entry.path}`, index, repository));
			reporter.filesTotal++;
			reporter.bytesTotal += content.size;
		}

		if (options.force) {
			await clearExisting(jobs.map(job => job.target).concat(symlinks.map(entry => `${base}/${entry.path}`), hardlinks.map(entry => `${base}/${entry.path}`)));
		}

		pool = new WorkerPool({key: repository.masterKey, gear: repository.gear, chunker: repository.config.chunker, wholeFileLimit: 0, knownIds: new Uint8Array(0)}, options.workers);
		const activePool = pool;
		const started = performance.now();
		const onBytes = (message: WorkerMessage) => {
			if (message.type === 'bytes') {
				reporter.bytesDone += message.bytes;
			}
		};

		// Big files are split into ranges so every worker helps; they are created here first.
		const running: Array<Promise<void>> = [];
		let batch: Array<{job: Job; file: RestoreFile}> = [];
		let size = 0;
		const send = async () => {
			const items = batch;
			batch = [];
			size = 0;
			await activePool.slot();
			throwIfAborted(signal);
			reporter.currentPath = toText(items[0].job.entry.path);
			running.push(activePool.run<RestoreTask>({kind: 'restore', files: items.map(item => item.file)}, onBytes).then(done => {
				reporter.bytesDone += done.bytes;
				for (const [i, {job}] of items.entries()) {
					const result = done.files?.[i] ?? {bytes: 0, bad: [], error: done.error ?? {code: 'EIO', message: 'no result'}};
					if (result.error) {
						job.failed = `${result.error.code}: ${result.error.message}`;
					} else if (result.bad.length > 0) {
						job.missing += result.bad.length;
					}
				}
			}));
		};

		for (const job of jobs) {
			if (job.ranges.length > 1) {
				const handle = await fs.open(toBuffer(job.target), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
				await handle.truncate(job.chunks.size);
				await handle.close();
			}

			for (const range of job.ranges) {
				const whole = job.ranges.length === 1;
				batch.push({job, file: {
					path: toBuffer(job.target),
					pieces: range.pieces,
					create: whole,
					...(whole ? {finish: finishOf(job.entry)} : {}),
				}});
				size += range.lengths.reduce((a, b) => a + b, 0);
				if (!whole || batch.length >= batchFiles || size >= batchBytes) {
					await send();
				}
			}
		}

		if (batch.length > 0) {
			await send();
		}

		await Promise.all(running);
		throwIfAborted(signal);

		reporter.currentPath = undefined;
		for (const job of jobs) {
			if (job.ranges.length > 1 && !job.failed) {
				await applyMetadata(job.target, job.entry, 'file');
			}

			reporter.filesDone++;
		}

		const conflict = (entry: Entry, error: unknown) => {
			const code = (error as {code?: string}).code ?? String(error);
			refused.push({path: toText(entry.path), reason: code === 'EEXIST' ? 'another entry already occupies this path' : `could not be created (${code})`});
			reporter.warn('conflict', `Could not create "${toText(entry.path)}" (${code}): left out of the restore.`, toText(entry.path));
		};

		for (const entry of hardlinks) {
			try {
				ensureParent(entry.path);
				await fs.link(toBuffer(`${base}/${entry.target!}`), toBuffer(`${base}/${entry.path}`));
			} catch (error) {
				conflict(entry, error);
			}
		}

		// Symlinks last: created as links, never followed, after every write has happened. A
		// link whose path a folder or file already took (a crafted manifest) is refused.
		const restoredSymlinks: Entry[] = [];
		for (const entry of symlinks) {
			const target = `${base}/${entry.path}`;
			try {
				ensureParent(entry.path);
				await fs.symlink(toBuffer(entry.target!), toBuffer(target));
			} catch (error) {
				conflict(entry, error);
				continue;
			}

			restoredSymlinks.push(entry);
			await applyMetadata(target, entry, 'symlink');
		}

		// Folder modes and times deepest first, so creating children does not disturb them.
		for (const entry of [...directories].reverse()) {
			await applyMetadata(`${base}/${entry.path}`, entry, 'dir');
		}

		const restoreMs = Math.round(performance.now() - started);
		for (const job of jobs) {
			if (job.failed) {
				mismatches.push({path: toText(job.entry.path), reason: `could not be written (${job.failed})`});
			} else if (job.missing > 0) {
				mismatches.push({path: toText(job.entry.path), reason: `${job.missing} chunk(s) missing or damaged in the repository`});
			}
		}

		let verifyMs = 0;
		const verify = options.verify ?? true;
		if (verify) {
			reporter.setPhase('verify', 'Reading back every restored file');
			reporter.bytesDone = 0;
			reporter.filesDone = 0;
			const verifyStarted = performance.now();
			const failedPaths = new Set(mismatches.map(problem => problem.path));
			const checks: Array<Promise<void>> = [];
			let checkBatch: Array<{job: Job; file: CheckFile}> = [];
			let checkSize = 0;
			const sendCheck = async () => {
				const items = checkBatch;
				checkBatch = [];
				checkSize = 0;
				await activePool.slot();
				throwIfAborted(signal);
				checks.push(activePool.run<CheckFileTask>({kind: 'check-file', files: items.map(item => item.file)}, onBytes).then(done => {
					reporter.bytesDone += done.bytes;
					for (const [i, {job}] of items.entries()) {
						const result = done.files?.[i];
						const text = toText(job.entry.path);
						if ((result === undefined || result.error !== undefined || result.bad.length > 0) && !failedPaths.has(text)) {
							failedPaths.add(text);
							mismatches.push({path: text, reason: result?.error ? `could not be read back (${result.error.code})` : 'restored bytes differ from the generation'});
						}

						reporter.filesDone++;
					}
				}));
			};

			for (const job of jobs) {
				const text = toText(job.entry.path);
				if (failedPaths.has(text)) {
					continue;
				}

				const stats = await fs.lstat(toBuffer(job.target)).catch(() => undefined);
				if (!stats?.isFile() || stats.size !== job.chunks.size) {
					failedPaths.add(text);
					mismatches.push({path: text, reason: stats ? `size ${stats.size} differs from ${job.chunks.size}` : 'missing after restore'});
					continue;
				}

				for (const range of job.ranges) {
					checkBatch.push({job, file: {path: toBuffer(job.target), ids: range.ids, lengths: range.lengths, start: range.start}});
					checkSize += range.lengths.reduce((a, b) => a + b, 0);
					if (checkBatch.length >= batchFiles || checkSize >= batchBytes) {
						await sendCheck();
					}
				}
			}

			if (checkBatch.length > 0) {
				await sendCheck();
			}

			await Promise.all(checks);
			for (const entry of restoredSymlinks) {
				const target = await fs.readlink(toBuffer(`${base}/${entry.path}`), {encoding: 'buffer'}).catch(() => undefined);
				if (target?.toString('latin1') !== entry.target) {
					mismatches.push({path: toText(entry.path), reason: 'symlink target differs from the generation'});
				}
			}

			verifyMs = Math.round(performance.now() - verifyStarted);
		}

		reporter.emitProgress();
		return {
			generation,
			into,
			files: jobs.length + hardlinks.length,
			dirs: directories.length,
			symlinks: restoredSymlinks.length,
			bytes: jobs.reduce((sum, job) => sum + job.chunks.size, 0),
			restoreMs,
			verifyMs,
			verified: verify,
			mismatches,
			refused,
			warnings: reporter.warnings,
		};
	} catch (error) {
		if (signal?.aborted) {
			throw cancelledError();
		}

		throw isSedaiError(error) ? error : describeIoError(error, `the restore into ${options.into}`);
	} finally {
		signal?.removeEventListener('abort', onAbort);
		reporter.stop();
		await pool?.close();
		await lock.release().catch(() => undefined);
	}
}

function select(entries: Entry[], include: string[], generation: GenerationInfo): Entry[] {
	if (include.length === 0) {
		return entries;
	}

	const prefixes = include.map(text => fromText(text.replaceAll(/^\/+|\/+$/g, '')));
	for (const prefix of prefixes) {
		if (!entries.some(entry => isWithin(entry.path, prefix))) {
			throw new SedaiError('not-found', `Generation ${generation.shortId} has nothing at "${toText(prefix)}": see \`sedai ls\` for its paths.`);
		}
	}

	return entries.filter(entry => prefixes.some(prefix => isWithin(entry.path, prefix)));
}

async function prepareTarget(into: string, force: boolean): Promise<void> {
	await fs.mkdir(into, {recursive: true});
	const stats = await fs.lstat(into);
	if (!stats.isDirectory()) {
		throw new SedaiError('usage', `The restore target ${into} is not a folder.`);
	}

	const existing = await fs.readdir(into);
	if (existing.length > 0 && !force) {
		throw new SedaiError('target-not-empty', `The restore folder ${into} is not empty (${existing.length} entries): choose an empty folder, or add --force to restore over what is there.`);
	}
}

/** With --force, existing files (or links) at restore paths are removed, never followed. */
async function clearExisting(targets: BytePath[]): Promise<void> {
	for (const target of targets) {
		const stats = await fs.lstat(toBuffer(target)).catch(() => undefined);
		if (!stats) {
			continue;
		}

		if (stats.isDirectory()) {
			throw new SedaiError('target-not-empty', `${toText(target)} is a folder where the generation has a file: move it away and restore again.`);
		}

		await fs.unlink(toBuffer(target));
	}
}

function planFile(entry: Entry, content: Entry, target: BytePath, index: BlobIndex, repository: Repository): Job {
	const job: Job = {entry, target, chunks: content, ranges: [], missing: 0};
	let range = {pieces: [] as RestorePiece[], start: 0, lengths: [] as number[], ids: [] as Buffer[], bytes: 0};
	const ranges: Array<typeof range> = [range];
	let offset = 0;
	const count = chunkCount(content);
	for (let i = 0; i < count; i++) {
		const id = chunkId(content, i);
		const location = index.get(id);
		if (!location) {
			// Unrecoverable here: counted, and the file is reported as damaged.
			job.missing++;
			continue;
		}

		if (range.bytes >= rangeBytes) {
			range = {pieces: [], start: offset, lengths: [], ids: [], bytes: 0};
			ranges.push(range);
		}

		range.pieces.push({pack: packPath(repository.layout, location.packId), offset: location.offset, length: location.length, rawLength: location.rawLength, flags: location.flags, id, fileOffset: offset});
		range.lengths.push(location.rawLength);
		range.ids.push(id);
		range.bytes += location.rawLength;
		offset += location.rawLength;
	}

	job.ranges = ranges.map(item => ({pieces: item.pieces, start: item.start, lengths: item.lengths, ids: Buffer.concat(item.ids)}));
	return job;
}

function finishOf(entry: Entry) {
	return {mode: entry.mode, uid: entry.uid, gid: entry.gid, mtimeNs: entry.mtimeNs.toString(), chown: true};
}

const isRoot = process.getuid?.() === 0;

async function applyMetadata(target: BytePath, entry: Entry, kind: 'file' | 'dir' | 'symlink'): Promise<void> {
	const file = toBuffer(target);
	const seconds = Number(entry.mtimeNs / 1_000_000_000n) + (Number(entry.mtimeNs % 1_000_000_000n) / 1e9);
	if (kind === 'symlink') {
		if (isRoot) {
			await fs.lchown(file, entry.uid, entry.gid).catch(() => undefined);
		}

		await fs.lutimes(file, seconds, seconds).catch(() => undefined);
		return;
	}

	if (isRoot) {
		await fs.chown(file, entry.uid, entry.gid).catch(() => undefined);
	}

	await fs.chmod(file, entry.mode);
	await fs.utimes(file, seconds, seconds);
}
