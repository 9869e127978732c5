import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError, describeIoError, isSedaiError} from '../errors.js';
import {toText} from '../byte-path.js';
import type {Repository} from '../repository/repository.js';
import type {BlobIndex, PackRecord} from '../repository/blob-index.js';
import {chunkCount, chunkId, type Entry} from '../repository/manifest.js';
import {indexPath, packPath} from '../repository/layout.js';
import {syncDirectory} from '../repository/atomic.js';
import {readPackTrailer} from '../repository/pack.js';
import type {JobOptions} from './events.js';
import {ProgressReporter, cancelledError, throwIfAborted} from './progress.js';
import {quarantineFolder} from './backup/unchanged-folders.js';

/**
 * Repair: make the repository whole again as far as its own bytes allow. Index files are a cache
 * of the packs' trailers, so damaged ones are rebuilt from the trailers (the new index is written
 * before the damaged files go); a pack whose content nothing can locate any more (no readable
 * index names it, its trailer is unreadable) is moved to quarantine/, never deleted; and every
 * generation that lost files says which. Generation files are never rewritten: their seal chain
 * is the evidence.
 */
export type RepairOptions = JobOptions & {
	dryRun?: boolean;
	/** Called with exactly the files about to be moved or removed (to lift write protection on them only). */
	beforeChange?: (files: string[]) => Promise<void>;
};

export type LostFiles = {id: string; shortId: string; seq: number; time: string; files: string[]};

export type RepairResult = {
	dryRun: boolean;
	repositoryId: string;
	label: string;
	/** Index files that failed their integrity check (removed unless a dry run). */
	damagedIndexFiles: string[];
	/** Packs whose blob list was taken from their own trailer into the new index. */
	rebuiltPacks: number;
	indexFiles: {written: number; removed: number};
	/** Packs moved to quarantine/ (to be moved, in a dry run). */
	quarantined: Array<{pack: string; reason: string}>;
	/** Packs still in use whose trailer is damaged: their index entries stand. */
	damagedTrailers: string[];
	/** Generations that lost files (to what could not be repaired), oldest first. */
	lostGenerations: LostFiles[];
	writtenFiles: string[];
	durationMs: number;
};

export async function runRepair(repository: Repository, options: RepairOptions = {}): Promise<RepairResult> {
	const reporter = new ProgressReporter('repair', options);
	const dryRun = options.dryRun ?? false;
	const what = `the repository "${repository.label}" at ${repository.root}`;
	throwIfAborted(options.signal);
	reporter.start();
	const started = performance.now();
	if (!dryRun) {
		const probe = await repository.probeWritable();
		if (!probe.writable) {
			reporter.stop();
			throw new SedaiError(probe.reason === 'EROFS' ? 'read-only' : 'io', `${capitalize(what)} cannot be written (${probe.reason ?? 'unknown error'}): nothing was repaired; turn off write protection or mount it read-write, or run \`sedai repair --dry-run\` to see what repair would do.`);
		}
	}

	const lock = await repository.lock(dryRun ? 'read' : 'exclusive', dryRun ? 'repair --dry-run' : 'repair', message => {
		reporter.warn('stale-lock', message);
	});
	try {
		reporter.setPhase('check', `Reading the index files and pack trailers of ${what}`);
		const loaded = await repository.loadIndex();
		const unreadable = new Set(loaded.unreadablePacks);
		const rebuilt = await trailerRecords(repository, loaded.unindexedPacks.filter(packId => !unreadable.has(packId)));
		const damagedTrailers = await packsWithDamagedTrailers(repository, loaded.index.packIds, new Set(loaded.unindexedPacks));
		const result: RepairResult = {
			dryRun,
			repositoryId: repository.id,
			label: repository.label,
			damagedIndexFiles: loaded.damagedIndexFiles.map(item => item.name),
			rebuiltPacks: rebuilt.length,
			indexFiles: {written: 0, removed: 0},
			quarantined: loaded.unreadablePacks.map(pack => ({pack, reason: 'no readable index names it and its trailer is unreadable'})),
			damagedTrailers,
			lostGenerations: [],
			writtenFiles: [],
			durationMs: 0,
		};
		throwIfAborted(options.signal);
		if (!dryRun) {
			await rewriteIndex(repository, rebuilt, result, options);
			await quarantine(repository, result.quarantined.map(item => item.pack), options);
		}

		reporter.setPhase('check', 'Finding what each generation lost');
		result.lostGenerations = await lostFiles(repository, loaded.index, options.signal);
		result.durationMs = Math.round(performance.now() - started);
		reporter.emitProgress();
		return result;
	} catch (error) {
		if (options.signal?.aborted) {
			throw cancelledError();
		}

		throw isSedaiError(error) ? error : describeIoError(error, what);
	} finally {
		reporter.stop();
		await lock.release().catch(() => undefined);
	}
}

async function trailerRecords(repository: Repository, packIds: string[]): Promise<PackRecord[]> {
	const records: PackRecord[] = [];
	for (const packId of packIds) {
		records.push(await readPackTrailer(repository.layout, repository.sealer, packId));
	}

	return records;
}

async function packsWithDamagedTrailers(repository: Repository, packIds: string[], fromTrailers: Set<string>): Promise<string[]> {
	const damaged: string[] = [];
	for (const packId of packIds) {
		if (fromTrailers.has(packId)) {
			continue;
		}

		const present = await fs.stat(packPath(repository.layout, packId)).then(() => true, () => false);
		if (present && !await readPackTrailer(repository.layout, repository.sealer, packId).then(() => true, () => false)) {
			damaged.push(packId);
		}
	}

	return damaged;
}

/** New index first (atomic, fsynced), then the damaged files: a crash in between leaves a duplicate, never a gap. */
async function rewriteIndex(repository: Repository, rebuilt: PackRecord[], result: RepairResult, options: RepairOptions): Promise<void> {
	if (rebuilt.length > 0) {
		const indexId = await repository.writeIndex(rebuilt);
		result.indexFiles.written = 1;
		result.writtenFiles.push(indexPath(repository.layout, indexId));
	}

	const damaged = result.damagedIndexFiles.map(name => indexPath(repository.layout, name));
	if (damaged.length === 0) {
		return;
	}

	await options.beforeChange?.(damaged);
	for (const file of damaged) {
		await fs.rm(file, {force: true});
	}

	await syncDirectory(repository.layout.index);
	result.indexFiles.removed = damaged.length;
}

async function quarantine(repository: Repository, packIds: string[], options: RepairOptions): Promise<void> {
	if (packIds.length === 0) {
		return;
	}

	const folder = path.join(repository.root, quarantineFolder);
	await fs.mkdir(folder, {recursive: true});
	const files = packIds.map(packId => packPath(repository.layout, packId));
	await options.beforeChange?.(files);
	for (const [at, packId] of packIds.entries()) {
		await fs.rename(files[at], path.join(folder, packId));
	}

	await syncDirectory(folder);
	for (const directory of new Set(files.map(file => path.dirname(file)))) {
		await syncDirectory(directory);
	}
}

/** Files whose chunks no index locates or whose pack is missing or too short, per generation. */
async function lostFiles(repository: Repository, index: BlobIndex, signal: AbortSignal | undefined): Promise<LostFiles[]> {
	const sizes = new Map<string, number>();
	const sizeOf = async (packId: string) => {
		let size = sizes.get(packId);
		if (size === undefined) {
			size = await fs.stat(packPath(repository.layout, packId)).then(stats => stats.size, () => -1);
			sizes.set(packId, size);
		}

		return size;
	};

	const {generations, damaged} = await repository.listGenerations();
	const lost: LostFiles[] = damaged.map(item => ({id: item.id, shortId: item.id.slice(0, 8), seq: -1, time: '', files: ['(the whole generation: its file list is unreadable)']}));
	for (const generation of generations) {
		throwIfAborted(signal);
		let entries: Entry[];
		try {
			entries = (await repository.readGeneration(generation.id)).entries;
		} catch {
			lost.push({id: generation.id, shortId: generation.shortId, seq: generation.seq, time: generation.time, files: ['(the whole generation: its file list is unreadable)']});
			continue;
		}

		const files: string[] = [];
		for (const entry of entries) {
			for (let i = 0; i < chunkCount(entry); i++) {
				const location = index.get(chunkId(entry, i));
				if (!location || await sizeOf(location.packId) < location.offset + location.length) {
					files.push(toText(entry.path));
					break;
				}
			}
		}

		if (files.length > 0) {
			lost.push({id: generation.id, shortId: generation.shortId, seq: generation.seq, time: generation.time, files});
		}
	}

	return lost;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
