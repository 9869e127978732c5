import fs from 'node:fs/promises';
import os from 'node:os';
import {toBuffer, type BytePath} from '../../byte-path.js';
import type {Repository} from '../../repository/repository.js';
import type {PackedRecords} from '../../repository/blob-index.js';
import {sealGeneration, type GenerationInfo} from '../../repository/generations.js';
import type {Entry, SentinelVerdict} from '../../repository/manifest.js';
import {generationPath, indexPath, packPath} from '../../repository/layout.js';
import {testSeam} from '../../test-seam.js';
import {lastExtension} from '../../policy/file-kinds.js';
import {throwIfAborted} from '../progress.js';
import type {TargetPlan} from './plan.js';

/**
 * Seal: one repository's entries with their chunk lists, its index, the sentinel's verdict and
 * the generation file. Nothing is visible before the generation file lands.
 */
export type SentinelInput = {
	previous: Entry[] | undefined;
	current: Entry[];
	/**
	 * Folders the parent holds with the very same tree are left out of both lists: their files
	 * (the same on both sides) are only counted here, with their extensions.
	 */
	unchanged?: UnchangedFiles;
	/** Sampled entropy (bits/byte) of new content per changed file, where measured. */
	readFile: (path: BytePath) => Promise<Buffer | undefined>;
	absoluteOf: (path: BytePath) => BytePath | undefined;
	/** Entropy already measured while the file was read: the sentinel then need not open it again. */
	entropyOf?: (path: BytePath) => number | undefined;
};

export type Sentinel = (input: SentinelInput) => Promise<SentinelVerdict>;

export type UnchangedFiles = {files: number; extensions: Set<string>};

export type Tree = {entries: Entry[]; files: number; dirs: number; symlinks: number; bytes: number; changedFiles: number};

/**
 * The generation's entries (read files got their chunk lists as each was read): whatever could
 * not be read (`dropped`, by path) is left out with its hardlink followers.
 */
export function collectEntries(plan: TargetPlan, dropped: Set<BytePath>, changedFiles: number): Tree {
	const tree: Tree = {entries: [], files: 0, dirs: 0, symlinks: 0, bytes: 0, changedFiles};
	for (const entry of plan.entries) {
		if (dropped.has(entry.path) || (entry.type === 'hardlink' && dropped.has(entry.target!))) {
			continue;
		}

		// The walk-only field (entropy) rides along: the manifest encoder ignores it.
		tree.entries.push(entry);
		if (entry.type === 'file' || entry.type === 'hardlink') {
			tree.files++;
			tree.bytes += entry.size;
		} else if (entry.type === 'dir') {
			tree.dirs++;
		} else {
			tree.symlinks++;
		}
	}

	return tree;
}

export type SealInput = {
	repository: Repository;
	plan: TargetPlan;
	tree: Tree;
	/** Format 2: the root tree, already in `packs` or in the repository, and each folder's tree id. */
	rootTree: Buffer | undefined;
	folderTrees?: Map<BytePath, string>;
	packs: PackedRecords[];
	/** The generation this one follows in the chain. */
	latest: Pick<GenerationInfo, 'seq' | 'id'> | undefined;
	header: {time: Date; sources: Array<{name: string; path: BytePath}>; tags: string[]; newBytes: number; storedBytes: number; newBlobs: number; durationMs: () => number; warnings: () => number};
	sentinel: Sentinel | undefined;
	absoluteOf: (path: BytePath) => BytePath | undefined;
	entropyOf?: (path: BytePath) => number | undefined;
	signal: AbortSignal | undefined;
};

/** Index the new packs, judge with the sentinel, seal. Returns the files written (for protection). */
export async function sealTarget(input: SealInput): Promise<{generation: GenerationInfo; writtenFiles: string[]}> {
	const {repository, tree, packs, header} = input;
	const writtenFiles = packs.map(pack => packPath(repository.layout, pack.packId));
	if (packs.length > 0) {
		writtenFiles.push(indexPath(repository.layout, await repository.writeIndex(packs)));
	}

	const sentinel = input.sentinel
		? await input.sentinel({
			...await compared(input),
			absoluteOf: input.absoluteOf,
			...(input.entropyOf ? {entropyOf: input.entropyOf} : {}),
			async readFile(path) {
				const absolute = input.absoluteOf(path);
				return absolute === undefined ? undefined : fs.readFile(toBuffer(absolute)).catch(() => undefined);
			},
		})
		: undefined;

	await testSeam('backup:before-seal');
	throwIfAborted(input.signal);
	const generation = await sealGeneration(repository.layout, repository.sealer, repository.id, {
		format: input.rootTree ? 2 : 1,
		...(input.rootTree ? {tree: input.rootTree.toString('hex')} : {}),
		repositoryId: repository.id,
		seq: (input.latest?.seq ?? 0) + 1,
		time: header.time.toISOString(),
		host: os.hostname(),
		sources: header.sources,
		previous: input.latest?.id,
		totals: {
			files: tree.files,
			dirs: tree.dirs,
			symlinks: tree.symlinks,
			bytes: tree.bytes,
			newBytes: header.newBytes,
			storedBytes: header.storedBytes,
			newBlobs: header.newBlobs,
			durationMs: header.durationMs(),
			warnings: header.warnings(),
		},
		tags: header.tags,
		...(sentinel ? {sentinel} : {}),
	}, tree.entries);
	writtenFiles.push(generationPath(repository.layout, generation.id));
	return {generation, writtenFiles};
}

/**
 * What the sentinel compares. The same root tree as the parent's means the same entries: the
 * parent need not be read. Otherwise only the parent's folders whose tree differs are read, and
 * this generation's files below the others are counted, not compared (they are the same files).
 */
async function compared(input: SealInput): Promise<Pick<SentinelInput, 'previous' | 'current' | 'unchanged'>> {
	const {entries} = input.tree;
	const parentTree = input.plan.parent?.tree;
	if (input.rootTree && parentTree === input.rootTree.toString('hex')) {
		// Nothing to compare: every file is counted as unchanged (a 200,000-file no-change backup
		// used to build maps of both lists only to find them equal).
		return {previous: [], current: [], unchanged: unchangedOf(entries, () => true)};
	}

	const folders = input.folderTrees;
	const previous = await input.plan.previousEntries(folders ? (path, id) => folders.get(path) === id.toString('hex') : undefined);
	if (!previous || previous.skipped.length === 0) {
		return {previous: previous?.entries, current: entries};
	}

	const skipped = new Set(previous.skipped);
	const current: Entry[] = [];
	const unchanged = unchangedOf(entries, entry => {
		const kept = below(entry.path, skipped);
		if (!kept) {
			current.push(entry);
		}

		return kept;
	});
	return {previous: previous.entries, current, unchanged};
}

/** The files `isUnchanged` accepts, counted with their extensions. */
function unchangedOf(entries: Entry[], isUnchanged: (entry: Entry) => boolean): UnchangedFiles {
	const unchanged: UnchangedFiles = {files: 0, extensions: new Set()};
	for (const entry of entries) {
		if (isUnchanged(entry) && entry.type === 'file') {
			unchanged.files++;
			unchanged.extensions.add(lastExtension(entry.path));
		}
	}

	return unchanged;
}

function below(path: BytePath, folders: Set<BytePath>): boolean {
	for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
		if (folders.has(path.slice(0, slash))) {
			return true;
		}
	}

	return false;
}
