import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError, describeIoError, isSedaiError} from '../errors.js';
import type {Repository} from '../repository/repository.js';
import {IdSet, type BlobRecord, type PackRecord, type PackedRecords} from '../repository/blob-index.js';
import {shortId, type GenerationInfo, type Tombstone} from '../repository/generations.js';
import {chunkCount, chunkId} from '../repository/manifest.js';
import {generationPath, indexPath, packPath} from '../repository/layout.js';
import {syncDirectory, writeFileAtomic} from '../repository/atomic.js';
import {PackWriter, listPackIds} from '../repository/pack.js';
import {indexDamageWarning} from '../repository/index-rebuild.js';
import {sealedTombstone} from '../repository/chain-head.js';
import {decodeBlob} from '../repository/blob-codec.js';
import {testSeam} from '../test-seam.js';
import {selectRetention, type RetentionDecision} from '../policy/retention.js';
import type {Retention} from '../policy/site-policy.js';
import type {JobOptions} from './events.js';
import {ProgressReporter, cancelledError, throwIfAborted} from './progress.js';

/**
 * Prune: remove the generations the retention policy no longer keeps, then the data only they
 * used. Every step leaves a repository that verifies clean and still holds everything the kept
 * generations need, so a crash (or kill -9) anywhere loses nothing:
 *   1. tombstones in pruned/ (the seal chain stays checkable), 2. generation files,
 *   3. partly used packs copied into new packs, 4. one new index naming every pack still needed,
 *   5. the old index files, 6. the packs nothing names any more.
 * A pack is only deleted once no index file names it; until then it is merely unreferenced.
 */
export type PruneOptions = JobOptions & {
	policy: Retention;
	minGenerations?: number;
	dryRun?: boolean;
	/** Test seam and tombstone time. */
	now?: Date;
	utcOffsetMinutes?: number;
	/** Repack a partly used pack when more than this share of its bytes is unused (default 0.05). */
	maxUnusedShare?: number;
	/** Called with exactly the files about to be deleted (to lift write protection on them only). */
	beforeDelete?: (files: string[]) => Promise<void>;
};

export type PruneResult = {
	dryRun: boolean;
	repositoryId: string;
	label: string;
	decisions: Array<RetentionDecision<GenerationInfo>>;
	kept: number;
	removed: number;
	packs: {before: number; deleted: number; repacked: number; written: number};
	/** Stored bytes given back (estimated in a dry run). */
	bytesFreed: number;
	/** Bytes copied into new packs. */
	bytesRepacked: number;
	/** Unused bytes left inside packs that were not worth repacking. */
	bytesUnusedLeft: number;
	indexFiles: {removed: number; written: number};
	/** New packs and index this prune wrote (to write-protect like a backup's). */
	writtenFiles: string[];
	durationMs: number;
};

type PackUsage = {record: PackRecord; used: BlobRecord[]; usedBytes: number; unusedBytes: number};

export async function runPrune(repository: Repository, options: PruneOptions): Promise<PruneResult> {
	const reporter = new ProgressReporter('prune', options);
	const {signal} = options;
	const what = `the repository "${repository.label}" at ${repository.root}`;
	const dryRun = options.dryRun ?? false;
	const maxUnusedShare = options.maxUnusedShare ?? 0.05;
	throwIfAborted(signal);
	reporter.start();
	const started = performance.now();
	if (!dryRun) {
		const probe = await repository.probeWritable();
		if (!probe.writable) {
			reporter.stop();
			throw probe.reason === 'EROFS'
				? new SedaiError('read-only', `${capitalize(what)} is write-protected (read-only medium): nothing was pruned. Turn the write-protect switch off to prune it.`)
				: new SedaiError('io', `${capitalize(what)} cannot be written (${probe.reason ?? 'unknown error'}): nothing was pruned; check permissions and that it is mounted read-write.`);
		}
	}

	const lock = await repository.lock(dryRun ? 'read' : 'exclusive', dryRun ? 'prune --dry-run' : 'prune', message => {
		reporter.warn('stale-lock', message);
	});
	try {
		reporter.setPhase('open', `Reading the generations of ${what}`);
		const {generations, damaged} = await repository.listGenerations();
		if (damaged.length > 0) {
			throw new SedaiError('corrupt', `${capitalize(what)} has ${damaged.length} generation(s) that cannot be read (${damaged.map(item => shortId(item.id)).join(', ')}): nothing was pruned; run \`sedai verify --full --repo ${repository.root}\` and keep this medium until it is understood.`);
		}

		const plan = selectRetention(generations, options.policy, {minGenerations: options.minGenerations, utcOffsetMinutes: options.utcOffsetMinutes});
		const loaded = await repository.loadIndex();
		const damage = indexDamageWarning(loaded, repository.root);
		if (damage) {
			reporter.warn('index-rebuilt', damage);
		}

		const {index} = loaded;

		// Everything the kept generations need.
		reporter.setPhase('check', `Collecting the data ${plan.keep.length} kept generation(s) use`);
		const referenced = new IdSet(new Uint8Array(0));
		for (const generation of plan.keep) {
			throwIfAborted(signal);
			// Format 2: the folder trees are blobs too, reached from the generation's root tree.
			const {entries, treeIds} = await repository.readGeneration(generation.id, index);
			for (const id of treeIds) {
				referenced.add(id);
			}

			for (const entry of entries) {
				const count = chunkCount(entry);
				for (let i = 0; i < count; i++) {
					const id = chunkId(entry, i);
					if (!index.has(id)) {
						throw new SedaiError('corrupt', `Generation ${generation.shortId} (#${generation.seq}) needs data that ${what} no longer has: nothing was pruned; run \`sedai verify --full --repo ${repository.root}\`.`);
					}

					referenced.add(id);
				}
			}
		}

		const usage = new Map<string, PackUsage>();
		for (const [id, location] of index.entries()) {
			let pack = usage.get(location.packId);
			if (!pack) {
				pack = {record: {packId: location.packId, blobs: []}, used: [], usedBytes: 0, unusedBytes: 0};
				usage.set(location.packId, pack);
			}

			const blob: BlobRecord = {id: new Uint8Array(id), offset: location.offset, length: location.length, rawLength: location.rawLength, flags: location.flags};
			pack.record.blobs.push(blob);
			if (referenced.has(id)) {
				pack.used.push(blob);
				pack.usedBytes += blob.length;
			} else {
				pack.unusedBytes += blob.length;
			}
		}

		// Packs no blob resolves to: torn leftovers, or packs whose every blob is found first elsewhere.
		const present = await listPackIds(repository.layout);
		const orphans = present.filter(packId => !usage.has(packId));
		const unindexed = new Set(loaded.unindexedPacks);
		const deletePacks: string[] = [...orphans];
		const repack: PackUsage[] = [];
		const keepPacks: PackUsage[] = [];
		let bytesUnusedLeft = 0;
		for (const pack of usage.values()) {
			if (pack.usedBytes === 0) {
				deletePacks.push(pack.record.packId);
			} else if (pack.unusedBytes > (pack.usedBytes + pack.unusedBytes) * maxUnusedShare) {
				repack.push(pack);
			} else {
				keepPacks.push(pack);
				bytesUnusedLeft += pack.unusedBytes;
			}
		}

		const packSizes = new Map<string, number>();
		for (const packId of [...deletePacks, ...repack.map(pack => pack.record.packId), ...keepPacks.map(pack => pack.record.packId)]) {
			const stats = await fs.stat(packPath(repository.layout, packId)).catch(() => undefined);
			if (!stats && usage.get(packId)?.usedBytes) {
				throw new SedaiError('corrupt', `Pack ${packId} of ${what} is missing but kept generations need it: nothing was pruned; run \`sedai verify --full --repo ${repository.root}\`.`, {pack: packId});
			}

			packSizes.set(packId, stats?.size ?? 0);
		}

		const sizeOf = (packIds: string[]) => packIds.reduce((sum, packId) => sum + (packSizes.get(packId) ?? 0), 0);
		const bytesToRepack = repack.reduce((sum, pack) => sum + pack.usedBytes, 0);
		const result: PruneResult = {
			dryRun,
			repositoryId: repository.id,
			label: repository.label,
			decisions: plan.decisions,
			kept: plan.keep.length,
			removed: plan.remove.length,
			packs: {before: usage.size + orphans.length, deleted: deletePacks.length, repacked: repack.length, written: 0},
			bytesFreed: sizeOf(deletePacks) + sizeOf(repack.map(pack => pack.record.packId)) - bytesToRepack,
			bytesRepacked: bytesToRepack,
			bytesUnusedLeft,
			indexFiles: {removed: 0, written: 0},
			writtenFiles: [],
			durationMs: 0,
		};
		await testSeam('prune:planned');
		if (dryRun) {
			result.durationMs = Math.round(performance.now() - started);
			return result;
		}

		// 1 and 2: tombstones first, so a removed generation is never a break in the chain.
		reporter.setPhase('prune', `Removing ${plan.remove.length} generation(s)`);
		const prunedAt = (options.now ?? new Date()).toISOString();
		await fs.mkdir(repository.layout.tombstones, {recursive: true});
		for (const generation of plan.remove) {
			const tombstone: Tombstone = {id: generation.id, seq: generation.seq, time: generation.time, previous: generation.previous, prunedAt};
			await writeFileAtomic(path.join(repository.layout.tombstones, `${generation.id}.json`), sealedTombstone(repository, tombstone), {tmpDirectory: repository.layout.tmp});
		}

		await testSeam('prune:tombstones-written');
		const generationFiles = plan.remove.map(generation => generationPath(repository.layout, generation.id));
		await removeFiles(generationFiles, options, what, 'prune:generation-removed');
		await syncDirectory(repository.layout.generations);
		await testSeam('prune:generations-removed');
		throwIfAborted(signal);

		// 3: copy what is still used out of mostly-unused packs.
		const newPacks: PackedRecords[] = [];
		if (repack.length > 0) {
			reporter.setPhase('write', `Repacking ${repack.length} partly used pack(s)`);
			reporter.bytesTotal = bytesToRepack;
			const writer = new PackWriter(repository.layout, repository.sealer);
			try {
				for (const pack of repack) {
					throwIfAborted(signal);
					await copyUsedBlobs(repository, pack, writer, what);
					reporter.bytesDone += pack.usedBytes;
					reporter.filesDone++;
				}

				for (const pack of await writer.finish()) {
					newPacks.push(pack);
				}
			} catch (error) {
				await writer.abandon();
				throw error;
			}

			result.packs.written = newPacks.length;
			for (const pack of newPacks) {
				result.writtenFiles.push(packPath(repository.layout, pack.packId));
			}

			await testSeam('prune:repack-written');
		}

		// 4 and 5: one index naming every pack still needed, then the old ones go.
		const indexChanged = deletePacks.length > 0 || repack.length > 0 || keepPacks.some(pack => unindexed.has(pack.record.packId));
		if (indexChanged) {
			reporter.setPhase('seal', 'Writing the new index');
			const records = [...keepPacks.map(pack => pack.record), ...newPacks];
			const newIndex = records.length > 0 ? await repository.writeIndex(records) : undefined;
			result.indexFiles.written = newIndex ? 1 : 0;
			if (newIndex) {
				result.writtenFiles.push(indexPath(repository.layout, newIndex));
			}

			await testSeam('prune:index-written');
			// The new index names every pack still needed, so damaged index files go too.
			const oldIndexFiles = [...loaded.indexFiles, ...loaded.damagedIndexFiles.map(item => item.name)].filter(name => name !== newIndex).map(name => indexPath(repository.layout, name));
			await removeFiles(oldIndexFiles, options, what, 'prune:index-removed');
			await syncDirectory(repository.layout.index);
			result.indexFiles.removed = oldIndexFiles.length;

			// 6: nothing names these packs any more.
			reporter.setPhase('prune', `Removing ${deletePacks.length + repack.length} unused pack(s)`);
			const packFiles = [...deletePacks, ...repack.map(pack => pack.record.packId)].map(packId => packPath(repository.layout, packId));
			await removeFiles(packFiles, options, what, 'prune:pack-removed');
			for (const directory of new Set(packFiles.map(file => path.dirname(file)))) {
				// An emptied fan-out folder goes too (fewer folders keep FAT/exFAT media quick).
				await fs.rmdir(directory).catch(async () => syncDirectory(directory).catch(() => undefined));
			}

			await syncDirectory(repository.layout.data).catch(() => undefined);
		}

		await testSeam('prune:done');
		result.durationMs = Math.round(performance.now() - started);
		reporter.emitProgress();
		return result;
	} catch (error) {
		if (signal?.aborted) {
			throw cancelledError();
		}

		throw isSedaiError(error) ? error : describeIoError(error, what);
	} finally {
		reporter.stop();
		await lock.release().catch(() => undefined);
	}
}

async function removeFiles(files: string[], options: PruneOptions, what: string, seam: string): Promise<void> {
	if (files.length === 0) {
		return;
	}

	await options.beforeDelete?.(files);
	for (const file of files) {
		try {
			await fs.rm(file, {force: true});
		} catch (error) {
			const {code} = error as {code?: string};
			if (code === 'EPERM' || code === 'EACCES') {
				throw new SedaiError('read-only', `Cannot remove ${file} from ${what} (${code}): it is write-protected (immutable); lift the protection on it (sedai does this when run as root) or leave this generation.`, {path: file});
			}

			throw error;
		}

		await testSeam(seam);
	}
}

/** Copy a pack's still-used blobs as stored (no re-encryption), checking each one first. */
async function copyUsedBlobs(repository: Repository, pack: PackUsage, writer: PackWriter, what: string): Promise<void> {
	const data = await fs.readFile(packPath(repository.layout, pack.record.packId));
	for (const blob of pack.used) {
		const stored = data.subarray(blob.offset, blob.offset + blob.length);
		if (stored.length !== blob.length || !decodeBlob(repository.masterKey, blob.id, stored, blob.flags, blob.rawLength)) {
			throw new SedaiError('corrupt', `Pack ${pack.record.packId} of ${what} holds damaged data that kept generations need: nothing more was pruned; run \`sedai verify --full --repo ${repository.root}\`.`, {pack: pack.record.packId});
		}

		await writer.add({id: blob.id, data: Buffer.from(stored), rawLength: blob.rawLength, flags: blob.flags});
	}
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
