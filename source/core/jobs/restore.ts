import fs from 'node:fs/promises';
import path from 'node:path';
import {describeIoError, isSedaiError} from '../errors.js';
import {fromText, toText, type BytePath} from '../byte-path.js';
import type {Repository} from '../repository/repository.js';
import type {GenerationInfo} from '../repository/generations.js';
import type {Entry} from '../repository/manifest.js';
import {packPath} from '../repository/layout.js';
import {indexDamageWarning} from '../repository/index-rebuild.js';
import {WorkerPool} from '../workers/pool.js';
import {eventLoopTurns} from '../event-loop-turns.js';
import type {JobOptions} from './events.js';
import {ProgressReporter, cancelledError, throwIfAborted} from './progress.js';
import {TaskSet} from './task-set.js';
import {planRestore, selectEntries, type RestorePlan} from './restore/plan.js';
import {clearExisting, prepareTarget} from './restore/target.js';
import {FolderMaker, makeFolders} from './restore/folders.js';
import {applyMetadata, metadataPolicy, type MetadataPolicy} from './restore/metadata.js';
import {writeFiles, type FileOutcome} from './restore/write-files.js';
import {holesOf, markDamaged} from './restore/damaged.js';
import {writeHardlinks, writeSymlinks, type Leaders} from './restore/write-links.js';
import {readBack} from './restore/read-back.js';
import {destinationError} from './restore/destination.js';
import type {DamagedFile, RestoreProblem, RestorePurpose} from './restore/types.js';

export type {DamagedFile, Region, RestoreProblem, RestorePurpose} from './restore/types.js';

/**
 * Restore a generation (or parts of it) into a folder, then prove it: every restored file is
 * read back and hashed against the manifest. Nothing is written outside the target: unsafe
 * manifest paths are refused, files are created exclusively and never through a symlink, and
 * symlinks are made last so no restored link can redirect a later write. Phases: plan, write
 * (folders, files, marks on damaged files, links), then the read-back, with the folders' own
 * metadata put back beside it.
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
	/** Default 'recovery'. 'test': target folder 0700 and ours, no chown, no setuid/setgid/sticky bits. */
	purpose?: RestorePurpose;
	/** Leave damaged files under their real names (still listed in `damaged`); default false. */
	keepDamagedNames?: boolean;
};

export type RestoreResult = {
	generation: GenerationInfo;
	into: string;
	purpose: RestorePurpose;
	/** True when every file was restored and proven, nothing refused or damaged. */
	ok: boolean;
	files: number;
	dirs: number;
	symlinks: number;
	bytes: number;
	/** Time until every file, link and folder is back (the recovery time objective measured). */
	restoreMs: number;
	/** What the read-back took beyond restoreMs (it starts while the folders' metadata is put back). */
	verifyMs: number;
	verified: boolean;
	/** Files whose restored bytes do not match the manifest (or could not be restored); damaged files too. */
	mismatches: RestoreProblem[];
	/** Files written with zero-filled holes where the repository had no good data, and where they were saved. */
	damaged: DamagedFile[];
	/** Manifest entries refused because they would land outside the target. */
	refused: RestoreProblem[];
	warnings: number;
};

export async function runRestore(repository: Repository, options: RestoreOptions): Promise<RestoreResult> {
	const reporter = new ProgressReporter('restore', options);
	const {signal} = options;
	throwIfAborted(signal);
	reporter.start();
	const lock = await repository.lock('read', 'restore', message => {
		reporter.warn('stale-lock', message);
	});
	const held: {pool?: WorkerPool} = {};
	const onAbort = () => {
		held.pool?.close().catch(() => undefined);
	};

	signal?.addEventListener('abort', onAbort);
	try {
		return await restoreLocked(repository, options, reporter, held);
	} catch (error) {
		if (signal?.aborted) {
			throw cancelledError();
		}

		throw isSedaiError(error) ? error : destinationError(error as {code?: string; path?: string}, path.resolve(options.into)) ?? describeIoError(error, `the restore into ${options.into}`);
	} finally {
		signal?.removeEventListener('abort', onAbort);
		reporter.stop();
		await held.pool?.close().catch(() => undefined);
		await lock.release().catch(() => undefined);
	}
}

async function restoreLocked(repository: Repository, options: RestoreOptions, reporter: ProgressReporter, held: {pool?: WorkerPool}): Promise<RestoreResult> {
	const {signal} = options;
	const purpose = options.purpose ?? 'recovery';
	// Workers start (about 0.1 s of loading each) while the index and the trees are read.
	const pool = new WorkerPool({key: repository.masterKey, gear: repository.gear, chunker: repository.config.chunker, wholeFileLimit: 0, knownIds: new Uint8Array(0)}, options.workers);
	held.pool = pool;
	const {generation, plan, into, base, folders} = await prepare(repository, options, reporter);
	reporter.filesTotal = plan.files.length;
	reporter.bytesTotal = plan.files.reduce((sum, file) => sum + file.size, 0);
	const tasks = new TaskSet(signal);
	const policy = metadataPolicy(purpose);
	const started = performance.now();
	const verify = options.verify ?? true;
	const written = await writeAll(plan, {pool, tasks, reporter, base, folders, policy, signal, into, layout: plan.layout, keepNames: options.keepDamagedNames ?? false, readBackFollows: verify});
	const mismatches = [...plan.mismatches, ...written.mismatches];
	let verifying: Promise<void> | undefined;
	if (verify) {
		// Counters first: the phase event carries a progress snapshot.
		reporter.bytesDone = 0;
		reporter.filesDone = 0;
		reporter.setPhase('verify', 'Reading back every restored file');
		verifying = readBack(written.outcomes, written.symlinks, {pool, tasks, reporter, base, signal, mismatches, layout: plan.layout});
	}

	// The workers read back while this thread puts the folders' modes and times back: reading a
	// file changes no folder, and the folders are complete now.
	let restoreMs: number;
	try {
		await applyFolderMetadata(plan.directories, base, policy);
		restoreMs = Math.round(performance.now() - started);
	} finally {
		await verifying?.catch(() => undefined);
	}

	await verifying;
	const verifyMs = verify ? Math.round(performance.now() - started) - restoreMs : 0;
	reporter.emitProgress();
	const refused = [...plan.refused, ...written.refused];
	return {
		generation,
		into,
		purpose,
		ok: verify && mismatches.length === 0 && written.damaged.length === 0 && refused.length === 0,
		files: written.outcomes.length + written.hardlinks,
		dirs: plan.directories.length,
		symlinks: written.symlinks.length,
		bytes: reporter.bytesTotal,
		restoreMs,
		verifyMs,
		verified: verify,
		mismatches,
		damaged: written.damaged,
		refused,
		warnings: reporter.warnings,
	};
}

/** Open the generation, plan, and make the target ready: its folders exist and are real, --force has cleared the way. */
async function prepare(repository: Repository, options: RestoreOptions, reporter: ProgressReporter): Promise<{generation: GenerationInfo; plan: RestorePlan; into: string; base: BytePath; folders: FolderMaker}> {
	reporter.setPhase('open', 'Reading the generation');
	const generation = await repository.resolveGeneration(options.generation);
	const loaded = await repository.loadIndex();
	const damage = indexDamageWarning(loaded, repository.root);
	if (damage) {
		reporter.warn('index-rebuilt', damage);
	}

	const {index} = loaded;
	const {entries} = await repository.readGeneration(generation.id, index);
	const plan = planRestore(entries, selectEntries(entries, options.include ?? [], generation.shortId), index, packId => packPath(repository.layout, packId));
	const into = path.resolve(options.into);
	for (const problem of plan.refused) {
		reporter.warn('unsafe-path', `Refused "${problem.path}": its path would land outside ${into}. The generation may have been tampered with.`, problem.path);
	}

	await prepareTarget(into, {force: options.force ?? false, purpose: options.purpose ?? 'recovery'});
	const base = fromText(await fs.realpath(into));
	throwIfAborted(options.signal);
	reporter.setPhase('restore', `Restoring ${plan.files.length + plan.directories.length + plan.hardlinks.length + plan.symlinks.length} entries into ${into}`);
	const folders = new FolderMaker(base);
	// An empty target gets each folder just before its first file, while the workers write the
	// files before it (4,400 mkdirs are half a second on ext4). Over existing files (--force),
	// every folder is made and checked before anything in the target is unlinked.
	if (options.force) {
		await makeFolders(plan, folders);
		await clearExisting([...plan.files.map(file => file.entry), ...plan.symlinks, ...plan.hardlinks].map(entry => `${base}/${entry.path}`));
	}

	return {generation, plan, into, base, folders};
}

type WriteAllContext = Parameters<typeof writeFiles>[1] & {keepNames: boolean};

type Written = {
	outcomes: FileOutcome[];
	hardlinks: number;
	symlinks: Entry[];
	damaged: DamagedFile[];
	mismatches: RestoreProblem[];
	refused: RestoreProblem[];
};

/** Files, then marks on damaged ones, hardlinks and symlinks; folder metadata comes after (restoreLocked). */
async function writeAll(plan: RestorePlan, context: WriteAllContext): Promise<Written> {
	const {base, policy, reporter, signal} = context;
	const outcomes = await writeFiles(plan.files, context);
	throwIfAborted(signal);
	// The folders no file needed: empty ones, and those holding only links.
	await makeFolders(plan, context.folders);
	const taken = new Set<BytePath>(plan.paths);
	const damaged = await markDamaged(outcomes, {base, taken, keepNames: context.keepNames});
	const refused: RestoreProblem[] = [];
	const onConflict = (entry: Entry, error: unknown) => {
		const code = (error as {code?: string}).code ?? String(error);
		refused.push({path: toText(entry.path), reason: code === 'EEXIST' ? 'another entry already occupies this path' : `could not be created (${code})`});
		reporter.warn('conflict', `Could not create "${toText(entry.path)}" (${code}): left out of the restore.`, toText(entry.path));
	};

	// Where each file is now, by its path: only made when links need it (200,000 paths otherwise).
	const leaders = plan.hardlinks.length > 0 ? leadersOf(outcomes, damaged) : new Map() as Leaders;
	const hardlinks = await writeHardlinks(plan.hardlinks, leaders, {base, policy, onConflict, taken});
	const symlinks = await writeSymlinks(plan.symlinks, {base, policy, onConflict});
	const mismatches = outcomes.flatMap(outcome => problemOf(outcome, damaged));
	for (const item of hardlinks.damaged) {
		mismatches.push({path: item.path, reason: `hardlink to a damaged file, saved as ${item.savedAs}`});
	}

	return {outcomes, hardlinks: hardlinks.created.length, symlinks, damaged: [...damaged, ...hardlinks.damaged], mismatches, refused};
}

function leadersOf(outcomes: FileOutcome[], damaged: DamagedFile[]): Leaders {
	const byPath = new Map(damaged.map(item => [item.path, item]));
	const leaders: Leaders = new Map();
	for (const outcome of outcomes) {
		if (!outcome.failed) {
			leaders.set(outcome.plan.entry.path, {target: outcome.target, damaged: byPath.get(toText(outcome.plan.entry.path))});
		}
	}

	return leaders;
}

function problemOf(outcome: FileOutcome, damaged: DamagedFile[]): RestoreProblem[] {
	const path = toText(outcome.plan.entry.path);
	if (outcome.failed) {
		return [{path, reason: `could not be written (${outcome.failed})`}];
	}

	const holes = holesOf(outcome);
	if (holes.length === 0) {
		return [];
	}

	const savedAs = damaged.find(item => item.path === path)?.savedAs ?? path;
	const bytes = holes.reduce((sum, hole) => sum + hole.length, 0);
	return [{path, reason: `${bytes} byte(s) in ${holes.length} place(s) missing or damaged in the repository: saved as ${savedAs} with zeros there`}];
}

/** Folder modes and times deepest first, so creating children does not disturb them. */
async function applyFolderMetadata(directories: Entry[], base: BytePath, policy: MetadataPolicy): Promise<void> {
	const turn = eventLoopTurns();
	for (const entry of [...directories].reverse()) {
		await turn();
		applyMetadata(`${base}/${entry.path}`, entry, 'dir', policy);
	}
}
