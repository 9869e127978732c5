import {compareBytes, toText, type BytePath} from '../../byte-path.js';
import type {BlobIndex, IdSet} from '../../repository/blob-index.js';
import {shortId, type GenerationInfo, type Tombstone} from '../../repository/generations.js';
import {chunkCount, chunkId, type Entry} from '../../repository/manifest.js';
import type {Repository} from '../../repository/repository.js';
import {throwIfAborted, type ProgressReporter} from '../progress.js';
import type {DamagedGeneration, VerifyProblem} from '../verify.js';
import {damagedUnder} from './tree-check.js';

export type GenerationsInput = {
	repository: Repository;
	generations: GenerationInfo[];
	/** Every generation id on the medium, damaged ones too: a link to one of those is no deletion. */
	known: Set<string>;
	tombstones: Map<string, Tombstone>;
	index: BlobIndex;
	/** Blobs found damaged or missing by the pack checks. */
	bad: IdSet;
	unindexedPacks: string[];
	signal: AbortSignal | undefined;
	/** Shown the generation being checked (not while the packs are being read beside it). */
	reporter?: ProgressReporter;
};

/**
 * Every generation against the index: its file opens and hashes to its id, its predecessor is
 * there or was pruned, and which of its files have damaged or missing data. Format-2 trees are
 * checked once for all generations (they share most of them).
 */
export async function checkGenerations({repository, generations, known, tombstones, index, bad, unindexedPacks, signal, reporter}: GenerationsInput): Promise<{problems: VerifyProblem[]; notes: string[]; damagedGenerations: DamagedGeneration[]}> {
	const problems: VerifyProblem[] = [];
	const unindexed = new Set(unindexedPacks);
	const unindexedInUse = new Set<string>();
	const damagedGenerations: DamagedGeneration[] = [];
	const isDamaged = (chunk: Uint8Array) => bad.has(chunk) || !index.has(chunk);
	const inUse = (id: Uint8Array) => {
		const packId = unindexed.size > unindexedInUse.size ? index.get(id)?.packId : undefined;
		if (packId !== undefined && unindexed.has(packId)) {
			unindexedInUse.add(packId);
		}
	};

	const reader = repository.treeReader(index);
	const memo = new Map<string, BytePath[]>();
	const damageOf = async (generation: GenerationInfo): Promise<{files: string[]; intact: boolean}> => {
		if (generation.format !== 2 || !generation.tree) {
			const {entries, treeIds, intact} = await repository.readGeneration(generation.id, index);
			packsInUse(entries, treeIds, index, unindexed, unindexedInUse);
			return {files: damagedFiles(entries, index, bad), intact};
		}

		const {intact} = await repository.readGenerationHead(generation.id);
		const damagedPaths = await damagedUnder(reader, Buffer.from(generation.tree, 'hex'), `Generation ${generation.shortId} (#${generation.seq})`, {isDamaged, onTree: inUse, onChunk: inUse}, memo);
		return {files: [...damagedPaths].sort(compareBytes).map(path => toText(path)), intact};
	};

	for (const generation of generations) {
		throwIfAborted(signal);
		if (reporter) {
			reporter.currentPath = `generation ${generation.shortId}`;
		}

		if (generation.previous && !known.has(generation.previous) && !tombstones.has(generation.previous)) {
			problems.push({kind: 'chain', generation: generation.id, message: `Generation ${generation.shortId} (#${generation.seq}) names a previous generation ${shortId(generation.previous)} that is gone without a prune record: it was deleted outside Sedai.`});
		}

		let files: string[];
		try {
			const checked = await damageOf(generation);
			files = checked.files;
			if (!checked.intact) {
				problems.push({kind: 'generation', generation: generation.id, message: `Generation ${generation.shortId} (#${generation.seq}) no longer hashes to its id: its file was altered.`});
			}
		} catch (error) {
			problems.push({kind: 'generation', generation: generation.id, message: error instanceof Error ? error.message : String(error)});
			damagedGenerations.push({id: generation.id, shortId: generation.shortId, seq: generation.seq, time: generation.time, files: ['(the whole generation: its file list is unreadable)']});
			continue;
		}

		if (files.length > 0) {
			damagedGenerations.push({id: generation.id, shortId: generation.shortId, seq: generation.seq, time: generation.time, files});
			problems.push({kind: 'data', generation: generation.id, message: `Generation ${generation.shortId} (#${generation.seq}): ${files.length} file(s) damaged or missing data.`});
		}
	}

	if (reporter) {
		reporter.currentPath = undefined;
	}

	return {problems, notes: unindexedNotes(unindexedPacks.length, unindexedInUse.size), damagedGenerations};
}

/** Which of `candidates` (packs no index lists) hold chunks of these entries or their folder trees. */
function packsInUse(entries: Entry[], treeIds: Buffer[], index: BlobIndex, candidates: Set<string>, found: Set<string>): void {
	if (candidates.size === found.size) {
		return;
	}

	for (const id of treeIds) {
		const packId = index.get(id)?.packId;
		if (packId !== undefined && candidates.has(packId)) {
			found.add(packId);
		}
	}

	for (const entry of entries) {
		for (let i = 0; i < chunkCount(entry); i++) {
			const packId = index.get(chunkId(entry, i))?.packId;
			if (packId !== undefined && candidates.has(packId)) {
				found.add(packId);
			}
		}
	}
}

/**
 * Sealing indexes a generation's packs first, so an unindexed pack that a generation uses lost its
 * index file afterwards; only the others are an interrupted run's leftovers.
 */
function unindexedNotes(unindexed: number, inUse: number): string[] {
	return [
		...(inUse > 0 ? [`${inUse} pack(s) holding data of sealed generations are listed in no index file: an index file was deleted or lost. The packs' own trailers still describe their data, so nothing is lost; the next backup writes a new index for them.`] : []),
		...(unindexed > inUse ? [`${unindexed - inUse} pack(s) left by an interrupted run are not indexed yet; the next backup reuses them.`] : []),
	];
}

function damagedFiles(entries: Entry[], index: BlobIndex, bad: IdSet): string[] {
	const files: string[] = [];
	for (const entry of entries) {
		const count = chunkCount(entry);
		for (let i = 0; i < count; i++) {
			const id = chunkId(entry, i);
			if (bad.has(id) || !index.has(id)) {
				files.push(toText(entry.path));
				break;
			}
		}
	}

	return files;
}
