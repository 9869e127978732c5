import fs from 'node:fs/promises';
import {describeIoError, isSedaiError} from '../errors.js';
import type {Repository} from '../repository/repository.js';
import {IdSet} from '../repository/blob-index.js';
import {shortId} from '../repository/generations.js';
import {packPath} from '../repository/layout.js';
import {WorkerPool} from '../workers/pool.js';
import type {CheckPackTask, PackBlob} from '../workers/protocol.js';
import {readRecords} from '../repository/records.js';
import type {JobOptions} from './events.js';
import {ProgressReporter, cancelledError, throwIfAborted} from './progress.js';
import {TaskSet} from './task-set.js';
import {checkChain, type ChainAnchor} from './verify/chain-check.js';
import {checkPackFrame} from './verify/pack-frame.js';
import {checkGenerations} from './verify/generations-check.js';
import {recordVerification} from './verify/record.js';
import {keepRolling, packsAfter, readRollingState, sizesOf, type RollingSlice, type RollingState, type SliceBudget} from './verify/rolling.js';

/**
 * Two levels. Structure: every generation opens and hashes to its name, the seal chain is
 * unbroken, every referenced blob is indexed and its pack is present and long enough. Full: also
 * read every pack and re-hash every blob. Damage is reported per generation and file.
 */
export type VerifyLevel = 'structure' | 'full';

export type VerifyOptions = JobOptions & {
	level?: VerifyLevel;
	workers?: number;
	/** Record the outcome on the medium (default true; skipped when it is read-only). */
	record?: boolean;
	/** The newest generation this computer saw here before: a chain that went back past it is damage. */
	anchor?: ChainAnchor;
	/** Full level only: read just the next slice of packs after the last run's (rolling verification). */
	slice?: SliceBudget;
};

export type VerifyProblem = {
	kind: 'generation' | 'chain' | 'index' | 'pack' | 'data' | 'record';
	message: string;
	generation?: string;
	pack?: string;
};

export type DamagedGeneration = {
	id: string;
	shortId: string;
	seq: number;
	time: string;
	/** Paths (as text) whose content is damaged or missing. */
	files: string[];
};

export type VerifyResult = {
	level: VerifyLevel;
	ok: boolean;
	time: string;
	repositoryId: string;
	label: string;
	generations: number;
	packs: number;
	blobs: number;
	bytesRead: number;
	problems: VerifyProblem[];
	/** Informational: leftovers of interrupted runs, reused by the next backup. */
	notes: string[];
	damagedGenerations: DamagedGeneration[];
	durationMs: number;
	/** A rolling verification's slice, and where its cycle stands. */
	slice?: RollingSlice;
};

export async function runVerify(repository: Repository, options: VerifyOptions = {}): Promise<VerifyResult> {
	const level = options.level ?? 'structure';
	const reporter = new ProgressReporter('verify', options);
	const {signal} = options;
	throwIfAborted(signal);
	reporter.start();
	const started = performance.now();
	const lock = await repository.lock('read', `verify --${level}`, message => {
		reporter.warn('stale-lock', message);
	});
	let pool: WorkerPool | undefined;
	const onAbort = () => {
		pool?.close().catch(() => undefined);
	};

	signal?.addEventListener('abort', onAbort);
	try {
		const problems: VerifyProblem[] = [];
		const notes: string[] = [];
		reporter.setPhase('check', 'Checking index, generations and seal chain');
		const loaded = await repository.loadIndex();
		const {index} = loaded;
		for (const damaged of loaded.damagedIndexFiles) {
			problems.push({kind: 'index', message: `Index file ${damaged.name} is damaged (${damaged.error}); its packs were read from their trailers instead: run \`sedai repair --repo ${repository.root}\` to rewrite it.`});
		}

		for (const packId of loaded.unreadablePacks) {
			notes.push(`Pack ${packId} is an incomplete leftover of an interrupted run (no trailer); prune removes it. No generation uses it.`);
		}

		const {generations, damaged} = await repository.listGenerations();
		for (const item of damaged) {
			problems.push({kind: 'generation', generation: item.id, message: `Generation ${shortId(item.id)} cannot be opened: ${item.error}`});
		}

		// Drill reports on the medium are evidence: an altered one must not be believed.
		for (const record of await readRecords(repository, 'drills')) {
			if (record.damaged) {
				problems.push({kind: 'record', message: `The drill report ${record.name} on this medium ${record.damaged}: do not rely on it; run a new drill.`});
			}
		}

		// Packs must exist and be long enough for every blob the index places in them.
		const packEnds = new Map<string, number>();
		const packBlobs = new Map<string, PackBlob[]>();
		for (const [id, location] of index.entries()) {
			packEnds.set(location.packId, Math.max(packEnds.get(location.packId) ?? 0, location.offset + location.length));
			if (level === 'full') {
				let list = packBlobs.get(location.packId);
				if (!list) {
					list = [];
					packBlobs.set(location.packId, list);
				}

				list.push({id: new Uint8Array(id), offset: location.offset, length: location.length, rawLength: location.rawLength, flags: location.flags});
			}
		}

		const bad = new IdSet(new Uint8Array(0));
		const badPacks = new Set<string>();
		for (const [packId, end] of packEnds) {
			const stats = await fs.stat(packPath(repository.layout, packId)).catch(() => undefined);
			if (!stats || stats.size < end) {
				badPacks.add(packId);
				problems.push({kind: 'pack', pack: packId, message: stats ? `Pack ${packId} is truncated (${stats.size} of at least ${end} bytes).` : `Pack ${packId} is missing.`});
			}
		}

		if (badPacks.size > 0) {
			for (const [id, location] of index.entries()) {
				if (badPacks.has(location.packId)) {
					bad.add(id);
				}
			}
		}

		// The chain first: the generations check needs its tombstones.
		const chain = await checkChain(repository, generations, options.anchor);
		// A generation whose file is damaged is still there: its successor's link to it is no deletion.
		const known = new Set([...generations.map(generation => generation.id), ...damaged.map(item => item.id)]);
		const generationsInput = {repository, generations, known, tombstones: chain.tombstones, index, bad, unindexedPacks: loaded.unindexedPacks, signal};
		// This thread reads the generations' trees while the workers read the packs. Its verdicts
		// stand only if no blob turns out bad (the set only grows); otherwise the check runs again.
		const early = level === 'full' && bad.size === 0 ? settle(checkGenerations(generationsInput)) : undefined;
		let rolling: {previous?: RollingState; chosen: string[]; read: string[]; problemsBefore: number} | undefined;
		if (level === 'full' && options.slice) {
			const {state, damaged} = await readRollingState(repository);
			if (damaged) {
				notes.push(`The rolling-verification record on this medium ${damaged}: a new cycle starts from the first pack.`);
			}

			rolling = {previous: state, chosen: packsAfter(sizesOf(packBlobs), state?.cursor, options.slice.fraction), read: [], problemsBefore: problems.length};
		}

		if (level === 'full') {
			const reading = rolling ? new Set(rolling.chosen) : undefined;
			reporter.setPhase('read', `Reading and re-hashing ${reading?.size ?? packBlobs.size} pack(s)`);
			for (const [packId, blobs] of packBlobs) {
				if (!badPacks.has(packId) && (!reading || reading.has(packId))) {
					reporter.bytesTotal += blobs.reduce((sum, blob) => sum + blob.length, 0);
					reporter.filesTotal++;
				}
			}

			pool = new WorkerPool({key: repository.masterKey, gear: repository.gear, chunker: repository.config.chunker, wholeFileLimit: 0, knownIds: new Uint8Array(0)}, options.workers);
			// Every task's outcome is handled as it is queued: a cancel that closes the pool is no crash.
			const tasks = new TaskSet(signal);
			const order = rolling ? rolling.chosen : [...packBlobs.keys()];
			for (const packId of order) {
				const blobs = packBlobs.get(packId)!;
				if (rolling && options.slice?.maxMs !== undefined && rolling.read.length > 0 && performance.now() - started > options.slice.maxMs) {
					break;
				}

				rolling?.read.push(packId);
				if (badPacks.has(packId)) {
					continue;
				}

				throwIfAborted(signal);

				await tasks.unlessAborted(pool.slot());
				throwIfAborted(signal);
				reporter.currentPath = `pack ${packId.slice(0, 8)}`;
				tasks.add(pool.run<CheckPackTask>({kind: 'check-pack', pack: packPath(repository.layout, packId), blobs}).then(done => {
					reporter.bytesDone += done.bytes;
					reporter.filesDone++;
					if (done.error) {
						problems.push({kind: 'pack', pack: packId, message: `Pack ${packId} cannot be read (${done.error.code}): ${done.error.message}`});
					}

					const badHere = done.bad ?? [];
					for (const i of badHere) {
						bad.add(blobs[i].id);
					}

					if (badHere.length > 0 && !done.error) {
						problems.push({kind: 'data', pack: packId, message: `Pack ${packId}: ${badHere.length} of ${blobs.length} blob(s) fail their integrity check.`});
					}
				}));
			}

			await tasks.settle();
			reporter.setPhase('check', 'Checking every pack\'s header and trailer');
			const framed = rolling ? new Set(rolling.read) : undefined;
			for (const [packId, blobs] of packBlobs) {
				throwIfAborted(signal);
				if (!badPacks.has(packId) && (!framed || framed.has(packId))) {
					for (const text of await checkPackFrame(repository, packId, blobs).catch((error: unknown) => [`Pack ${packId} cannot be read: ${error instanceof Error ? error.message : String(error)}`])) {
						problems.push({kind: 'pack', pack: packId, message: text});
					}
				}
			}

			reporter.currentPath = undefined;
		}

		const sliceProblems = rolling ? problems.length - rolling.problemsBefore : 0;
		reporter.setPhase('check', 'Checking every generation against the index');
		problems.push(...chain.problems);
		notes.push(...chain.notes);
		const earlier = await early;
		const checked = earlier && bad.size === 0 ? unwrap(earlier) : await checkGenerations({...generationsInput, reporter});
		problems.push(...checked.problems);
		notes.push(...checked.notes);
		const {damagedGenerations} = checked;
		const result: VerifyResult = {
			level,
			ok: problems.length === 0,
			time: new Date().toISOString(),
			repositoryId: repository.id,
			label: repository.label,
			generations: generations.length + damaged.length,
			packs: packEnds.size,
			blobs: index.size,
			bytesRead: reporter.bytesDone,
			problems,
			notes,
			damagedGenerations,
			durationMs: Math.round(performance.now() - started),
		};
		if (rolling) {
			result.slice = await keepRolling(repository, rolling.previous, {
				now: result.time, packs: sizesOf(packBlobs), read: rolling.read, bytes: reporter.bytesDone, problems: sliceProblems,
			}, options.record ?? true);
		}

		if (options.record ?? true) {
			await recordVerification(repository, result).catch(() => undefined);
		}

		reporter.emitProgress();
		return result;
	} catch (error) {
		if (signal?.aborted) {
			throw cancelledError();
		}

		throw isSedaiError(error) ? error : describeIoError(error, `the repository at ${repository.root}`);
	} finally {
		signal?.removeEventListener('abort', onAbort);
		reporter.stop();
		await pool?.close().catch(() => undefined);
		await lock.release().catch(() => undefined);
	}
}

export {type GenerationInfo} from '../repository/generations.js';

type Settled<T> = {value: T} | {error: unknown};

/** A promise that never rejects (its failure is kept), so it may wait unobserved for a while. */
async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return promise.then(value => ({value}), (error: unknown) => ({error}));
}

function unwrap<T>(settled: Settled<T>): T {
	if ('error' in settled) {
		throw settled.error;
	}

	return settled.value;
}
