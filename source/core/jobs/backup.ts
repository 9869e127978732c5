import {SedaiError, describeIoError, isSedaiError} from '../errors.js';
import type {BytePath} from '../byte-path.js';
import type {LoadedIndex, Repository} from '../repository/repository.js';
import {PackWriter} from '../repository/pack.js';
import {walkPrints} from '../repository/walk-print.js';
import {indexDamageWarning} from '../repository/index-rebuild.js';
import {readChainHead, writeChainHead, type ChainHead} from '../repository/chain-head.js';
import {wholeFileLimit} from '../repository/chunker.js';
import type {GenerationInfo} from '../repository/generations.js';
import type {Lock} from '../repository/lock.js';
import type {PackedRecords} from '../repository/blob-index.js';
import {testSeam} from '../test-seam.js';
import {collectGarbage} from '../memory.js';
import type {JobOptions} from './events.js';
import {ProgressReporter, cancelledError, throwIfAborted} from './progress.js';
import {sourcePathOf, type WalkResult} from './walk.js';
import {startScan, type Scan} from './backup/scan.js';
import {markHardlinks, planChanges, readSymlinks, type TargetPlan} from './backup/plan.js';
import {noteReadProblems} from './backup/read-problems.js';
import {chunkFiles, makeBatches, mergeReads, readTotals, type BatchItem, type PlanLists, type ReadWork} from './backup/chunk.js';
import {BlobSink} from './backup/pack.js';
import {collectEntries, sealTarget, type Sentinel, type Tree} from './backup/seal.js';
import {writeTrees} from './backup/trees.js';
import {readStreams, streamRoots, type BackupStream} from './backup/streams.js';
import {chainTip, loadReadableParent} from './backup/readable-parent.js';
import {printsTrusted} from './backup/unchanged-folders.js';

/**
 * Backup: walk the sources once, plan per repository (reuse unchanged files from its parent
 * generation by metadata), read each changed file once for every repository on worker threads
 * (chunked, hashed, compressed and sealed per repository), pack new blobs, then index and seal
 * each. Nothing is visible until a generation file lands; anything written before a crash or a
 * cancel is reused by the next run.
 */
export type {SentinelInput} from './backup/seal.js';
export {segmentSize} from './backup/plan.js';
export type {BackupStream} from './backup/streams.js';
export {startScan, type Scan} from './backup/scan.js';

export type BackupOptions = JobOptions & {
	sources: string[];
	tags?: string[];
	/** Test seam: the generation's time (retention tests fabricate history with it). */
	now?: Date;
	workers?: number;
	sentinel?: Sentinel;
	/** Content piped in (database dumps): read once for every repository; one that fails seals nothing. */
	streams?: BackupStream[];
	/** The walk of `sources`, started before the repositories were opened; else it starts here. */
	scan?: Scan;
};

export type BackupResult = {
	generation: GenerationInfo;
	previous: GenerationInfo | undefined;
	/** Files this run added to the medium (for write protection). */
	writtenFiles: string[];
	changedFiles: number;
	reusedFiles: number;
	warnings: number;
	reusedLeftoverPacks: number;
};

export type BackupOutcome = {repository: Repository; result?: BackupResult; error?: SedaiError};

type Target = {
	repository: Repository;
	what: string;
	outcome: BackupOutcome;
	lock?: Lock;
	loaded?: LoadedIndex;
	generations: GenerationInfo[];
	/** Generations whose header could not be read (one of them may have been the parent). */
	damaged?: Array<{id: string}>;
	/** The authenticated chain head, when the repository has one. */
	head?: ChainHead;
	plan?: TargetPlan;
	/** Files read whole into this repository. */
	changedFiles: number;
	sink?: BlobSink;
	packs?: PackedRecords[];
	tree?: Tree;
	/** Format 2: the root of the folder trees written with the data, and every folder's tree id. */
	rootTree?: Buffer;
	folderTrees?: Map<BytePath, string>;
};

/** Back up to one repository; rejects with one SedaiError ('cancelled', 'no-space', 'locked', …). */
export async function runBackup(repository: Repository, options: BackupOptions): Promise<BackupResult> {
	const [outcome] = await runBackupToMany([repository], options);
	if (outcome.error) {
		throw outcome.error;
	}

	return outcome.result!;
}

/**
 * Back up the same sources to several repositories, reading each changed file once. Never
 * rejects: each repository's outcome has its result or its SedaiError, and one that fails
 * (locked, full, read-only) does not stop the others.
 */
export async function runBackupToMany(repositories: Repository[], options: BackupOptions): Promise<BackupOutcome[]> {
	const reporter = new ProgressReporter('backup', options);
	const targets: Target[] = repositories.map(repository => ({repository, what: `the repository "${repository.label}" at ${repository.root}`, outcome: {repository}, generations: [], changedFiles: 0}));
	reporter.start();
	// The walk runs while the repositories open: each needs the other's time only on the main thread.
	const scan = options.scan ?? startScan(options.sources, repositories.map(repository => repository.root), options.signal);
	scan.attach({
		warn(code, message, path) {
			reporter.warn(code, message, path);
		},
		progress(files, bytes) {
			reporter.filesTotal = files;
			reporter.bytesTotal = bytes;
		},
	});
	try {
		throwIfAborted(options.signal);
		for (const target of targets) {
			await openTarget(target, reporter).catch((error: unknown) => {
				fail(target, error, options.signal);
			});
		}

		await backUp(targets, scan, options, reporter);
	} catch (error) {
		for (const target of live(targets)) {
			fail(target, error, options.signal);
		}
	} finally {
		// Never leave the walk running behind a job that ended (every target failed, or cancelled).
		scan.cancel();
		await scan.result.catch(() => undefined);
		reporter.stop();
		for (const target of targets) {
			if (target.outcome.error) {
				await target.sink?.abandon();
			}

			await target.lock?.release().catch(() => undefined);
		}
	}

	return targets.map(target => target.outcome);
}

function live(targets: Target[]): Target[] {
	return targets.filter(target => !target.outcome.error);
}

function fail(target: Target, error: unknown, signal: AbortSignal | undefined): void {
	target.outcome.error ??= signal?.aborted ? cancelledError() : asSedaiError(error, target.what);
}

function asSedaiError(error: unknown, what: string): SedaiError {
	const described = isSedaiError(error) ? error : describeIoError(error, what);
	return isSedaiError(described)
		? described
		: new SedaiError('io', `The backup to ${what} failed (${described instanceof Error ? described.message : String(described)}): nothing was sealed there and earlier generations are intact.`);
}

async function openTarget(target: Target, reporter: ProgressReporter): Promise<void> {
	const {repository, what} = target;
	const probe = await repository.probeWritable();
	if (!probe.writable) {
		if (probe.reason === 'EROFS') {
			throw new SedaiError('read-only', `${capitalize(what)} is write-protected (read-only medium): nothing was written. Turn the cartridge's write-protect switch off to back up to it; verify and restore still work.`);
		}

		// A full or failing medium says so, not "check permissions".
		const described = describeIoError(Object.assign(new Error(probe.reason), {code: probe.reason}), what);
		throw isSedaiError(described) && ['ENOSPC', 'EDQUOT', 'EIO'].includes(probe.reason ?? '')
			? described
			: new SedaiError('io', `${capitalize(what)} cannot be written (${probe.reason ?? 'unknown error'}): check permissions and that the medium is mounted read-write.`);
	}

	target.lock = await repository.lock('append', 'backup', message => {
		reporter.warn('stale-lock', message, undefined, repository.label);
	});
	reporter.setPhase('open', `Opening ${what}`, repository.label);
	target.loaded = await repository.loadIndex({recover: true});
	const damage = indexDamageWarning(target.loaded, repository.root);
	if (damage) {
		reporter.warn('index-rebuilt', damage, undefined, repository.label);
	} else if (target.loaded.unindexedPacks.length > 0) {
		reporter.warn('reused-leftovers', `Found ${target.loaded.unindexedPacks.length} pack(s) that no index file lists (left by an interrupted run, or their index file was lost): indexed again from their own trailers, and their data is reused.`, undefined, repository.label);
	}

	({generations: target.generations, damaged: target.damaged} = await repository.listGenerations());
	const head = await readChainHead(repository);
	target.head = head.state === 'valid' ? head.head : undefined;
}

async function backUp(targets: Target[], scan: Scan, options: BackupOptions, reporter: ProgressReporter): Promise<void> {
	const {signal} = options;
	if (live(targets).length === 0) {
		return;
	}

	reporter.setPhase('scan', `Scanning ${options.sources.join(', ')}`);
	const walked = await scan.result;
	throwIfAborted(signal);
	const virtualRoots = streamRoots(options.streams ?? [], walked.roots);
	await testSeam('backup:scanned');
	reporter.filesTotal = walked.files;
	reporter.bytesTotal = walked.bytes;
	markHardlinks(walked.linked);
	const absoluteOf = sourcePathOf(walked.roots);
	const dropped = new Set([...await readSymlinks(walked.entries, absoluteOf, (code, message, path) => {
		reporter.warn(code, message, path);
	})].map(entry => entry.path));

	const copy = live(targets).length > 1;
	// Made once for every repository, and only when a parent has prints to compare with.
	let prints: Map<BytePath, Buffer> | undefined;
	for (const target of live(targets)) {
		try {
			const parent = await loadReadableParent(target.repository, target.generations, walked.roots, target.loaded!.index, text => {
				reporter.warn('parent-unreadable', text, undefined, target.repository.label);
			}, target.damaged);
			const compare = parent.parent?.tree !== undefined && await printsTrusted(target.loaded!, target.repository.root);
			prints ??= compare ? walkPrints(walked.entries) : undefined;
			target.plan = {parent: parent.parent, previousEntries: parent.entries, ...await planChanges(walked.entries, parent.lookup, target.loaded!.index, copy, compare ? prints : undefined)};
		} catch (error) {
			fail(target, error, signal);
		}
	}

	throwIfAborted(signal);
	const problems = await readPlanned(targets, walked, absoluteOf, options, reporter);
	// After every target failed, unread files are no news (and not "changed while read").
	for (const work of live(targets).length > 0 ? problems : []) {
		noteReadProblems(work, absoluteOf(work.source.path)!, dropped, reporter);
	}

	await readStreamsInto(targets, options, reporter);

	for (const target of live(targets)) {
		reporter.setPhase('write', `Writing the last packs to ${target.what}`, target.repository.label);
		try {
			target.tree = collectEntries(target.plan!, dropped, target.changedFiles);
			if (target.repository.writeFormat === 2) {
				({root: target.rootTree, folders: target.folderTrees} = await writeTrees(target.tree.entries, target.sink!, target.repository.masterKey, target.repository.compression, target.plan!.folders));
			}

			target.packs = await target.sink!.finish();
		} catch (error) {
			fail(target, error, signal);
		}
	}

	throwIfAborted(signal);
	await testSeam('backup:packs-written');
	// The read phase's chunk buffers are garbage now; free them before building the manifests.
	collectGarbage();
	await sealAll(targets, {...walked, roots: [...walked.roots, ...virtualRoots]}, absoluteOf, options, reporter);
}

/** The streams after the files, into the same sinks; their entries join each target's plan. */
async function readStreamsInto(targets: Target[], options: BackupOptions, reporter: ProgressReporter): Promise<void> {
	const reading = live(targets);
	if (!options.streams?.length || reading.length === 0) {
		return;
	}

	const entriesOf = await readStreams(options.streams, reading.map(({repository, loaded, sink}) => ({
		key: repository.masterKey,
		gear: repository.gear,
		chunker: repository.config.chunker,
		compression: repository.compression,
		index: loaded!.index,
		sink: sink!,
	})), reporter, options.signal, options.now ?? new Date());
	for (const [index, target] of reading.entries()) {
		// A new array: with one repository the plan's entries are the walk's own, which stay files only.
		target.plan!.entries = [...target.plan!.entries, ...entriesOf(index)];
	}
}

/**
 * Read what the plans ask for; returns only the reads that failed or changed size. The read queue
 * is made as it goes and the plans' slots emptied: a read file keeps its entry alone.
 */
async function readPlanned(targets: Target[], walked: WalkResult, absoluteOf: (path: BytePath) => BytePath | undefined, options: BackupOptions, reporter: ProgressReporter): Promise<ReadWork[]> {
	const plans: PlanLists = targets.map(target => target.outcome.error ? undefined : target.plan?.files);
	for (const target of targets) {
		if (target.plan) {
			target.plan.files = [];
		}
	}

	const {count, bytes} = readTotals(mergeReads(walked.entries, plans));
	reporter.filesDone = walked.files - count;
	reporter.bytesDone = walked.bytes - bytes;
	const batches = makeBatches(whole => mergeReads(walked.entries, plans, plan => plan.whole === whole, whole));
	return readChangedFiles(targets, {batches, count, absoluteOf: path => absoluteOf(path)!}, options, reporter);
}

type Reads = {batches: Iterable<BatchItem[]>; count: number; absoluteOf: (path: BytePath) => BytePath};

async function readChangedFiles(targets: Target[], {batches, count, absoluteOf}: Reads, options: BackupOptions, reporter: ProgressReporter): Promise<ReadWork[]> {
	const reading = live(targets);
	const reused = reading.map(target => target.plan!.reusedFiles);
	reporter.setPhase('read', reading.length === 1
		? `Backing up ${count} changed file(s), ${reused[0]} unchanged`
		: `Backing up ${count} changed file(s), read once for ${reading.length} repositories`);
	for (const target of reading) {
		const {layout, sealer} = target.repository;
		target.sink = new BlobSink(target.loaded!.index, new PackWriter(layout, sealer), new PackWriter(layout, sealer));
	}

	// Target indexes in the read set are positions in `targets`; failed ones get no sink.
	const chunkTargets = targets.map(({repository, loaded}) => ({
		key: repository.masterKey,
		gear: repository.gear,
		chunker: repository.config.chunker,
		compression: repository.compression,
		knownIds: loaded?.index.idBytes() ?? new Uint8Array(0),
	}));
	const changed = targets.map(() => 0);
	const problems = await chunkFiles(batches, {
		init: {...chunkTargets[0], wholeFileLimit, chunkTargets},
		workers: options.workers,
		sinks: targets.map(target => target.outcome.error ? undefined : target.sink),
		changed,
		reporter,
		signal: options.signal,
		absoluteOf,
	});
	for (const [i, target] of targets.entries()) {
		target.changedFiles = changed[i];
	}

	for (const target of reading) {
		if (target.sink!.failure) {
			fail(target, target.sink!.failure, options.signal);
		}
	}

	return problems;
}

async function sealAll(targets: Target[], walked: WalkResult, absoluteOf: (path: BytePath) => BytePath | undefined, options: BackupOptions, reporter: ProgressReporter): Promise<void> {
	// Only the sentinel asks by path, and only for changed files: build the map on its first question.
	let byPath: Map<BytePath, WalkResult['entries'][number]> | undefined;
	const walkedAt = (path: BytePath) => {
		byPath ??= new Map(walked.entries.map(entry => [entry.path, entry]));
		return byPath.get(path);
	};

	const time = options.now ?? new Date();
	for (const target of live(targets)) {
		const {repository} = target;
		const plan = target.plan!;
		const sink = target.sink!;
		try {
			reporter.setPhase('seal', `Sealing the generation on ${target.what}`, repository.label);
			const tree = target.tree!;
			const {generation, writtenFiles} = await sealTarget({
				repository,
				plan,
				tree,
				rootTree: target.rootTree,
				folderTrees: target.folderTrees,
				packs: target.packs!,
				latest: chainTip(target.generations, target.head),
				header: {time, sources: walked.roots, tags: options.tags ?? [], newBytes: sink.newBytes, storedBytes: sink.storedBytes, newBlobs: sink.newBlobs, durationMs: () => Math.round(reporter.elapsedMs), warnings: () => reporter.warningsOf(repository.label)},
				sentinel: options.sentinel,
				absoluteOf,
				entropyOf: path => walkedAt(path)?.entropy,
				signal: options.signal,
			});
			await writeChainHead(repository, generation).catch((error: unknown) => {
				reporter.warn('chain-head', `The generation is sealed, but its chain head record could not be written (${error instanceof Error ? error.message : String(error)}): the next backup writes it.`, undefined, repository.label);
			});
			target.outcome.result = {
				generation,
				previous: plan.parent,
				writtenFiles,
				changedFiles: tree.changedFiles,
				reusedFiles: plan.reusedFiles,
				warnings: reporter.warningsOf(repository.label),
				reusedLeftoverPacks: target.loaded!.unindexedPacks.length,
			};
		} catch (error) {
			fail(target, error, options.signal);
		}
	}

	reporter.currentPath = undefined;
	reporter.emitProgress();
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
