import fs from 'node:fs/promises';
import {createHash} from 'node:crypto';
import {dirname, toBuffer, toText, type BytePath} from '../../byte-path.js';
import {eventLoopTurns} from '../../event-loop-turns.js';
import {GarbageMeter} from '../../memory.js';
import {wholeFileLimit} from '../../repository/chunker.js';
import {chunkCount, chunkId, type Entry, type SourceRoot} from '../../repository/manifest.js';
import type {GenerationInfo} from '../../repository/generations.js';
import type {Repository} from '../../repository/repository.js';
import type {BlobIndex} from '../../repository/blob-index.js';
import {TreeLookup, entryOf, type FolderTree, type SkipFolder} from '../../repository/tree.js';
import type {TreeNode} from '../../repository/tree-codec.js';
import {sourcePathOf, type LinkedFile, type WalkedEntry} from '../walk.js';
import {FolderTally, sameNode, type KnownFolders} from './unchanged-folders.js';

/**
 * Plan: which walked files one repository must read, and which it reuses from its parent
 * generation by metadata. Hardlinks and symlinks are settled once for every repository.
 */
export type FilePlan = {
	/** This repository's entry (its own copy when several repositories share the walk). */
	entry: WalkedEntry;
	/** The walked entry: the same object for every repository. */
	source: WalkedEntry;
	whole: boolean;
	segments: number;
	results: Array<Uint8Array | undefined>;
	bytes: number;
	/** The whole file's SHA-256, when one worker read all of it. */
	sha256?: Uint8Array;
	failed?: string;
};

export type TargetPlan = {
	parent: GenerationInfo | undefined;
	/** The parent's file list, read only when the sentinel asks for it (less what `skip` accepts). */
	previousEntries: PreviousEntries;
	entries: WalkedEntry[];
	files: FilePlan[];
	reusedFiles: number;
	/** Folders the parent has, with its tree ids; those found unchanged keep them. */
	folders: KnownFolders;
};

const emptySha256 = createHash('sha256').digest();

/**
 * Change detection decodes the parent's folders and drops them again: about a kilobyte of
 * garbage per entry, which V8 alone let grow by 100 MB over 200,000 entries before a full
 * collection. Counted per entry, collected when the old generation grew by 32 MB.
 */
const planGarbage = {perEntry: 1024, every: 8 * 1024 * 1024, oldSlack: 32 * 1024 * 1024};

/** Large files are cut at fixed segment offsets so two workers can chunk one file at once. */
export const segmentSize = 32 * 1024 * 1024;

type Warn = (code: string, message: string, path?: string) => void;

/** Second and later names of one inode become hardlinks to the first (path order, as the walk sorts them). */
export function markHardlinks(linked: LinkedFile[]): void {
	const leaders = new Map<string, WalkedEntry>();
	for (const {entry, inode} of linked) {
		const leader = leaders.get(inode);
		if (leader) {
			entry.type = 'hardlink';
			entry.target = leader.path;
		} else {
			leaders.set(inode, entry);
		}
	}
}

/** Fill in symlink targets; returns the symlinks that could not be read (left out, with a warning). */
export async function readSymlinks(entries: WalkedEntry[], absoluteOf: (path: BytePath) => BytePath | undefined, warn: Warn): Promise<Set<WalkedEntry>> {
	const dropped = new Set<WalkedEntry>();
	await Promise.all(entries.filter(entry => entry.type === 'symlink').map(async entry => {
		const absolute = absoluteOf(entry.path)!;
		try {
			const target = await fs.readlink(toBuffer(absolute), {encoding: 'buffer'});
			entry.target = target.toString('latin1');
		} catch (error) {
			warn('unreadable', `Could not read the symlink ${toText(absolute)} (${(error as {code?: string}).code ?? String(error)}): skipped.`, toText(absolute));
			dropped.add(entry);
		}
	}));
	return dropped;
}

/** The parent's entries, and the folders `skip` left unread (always none for format 1). */
export type PreviousEntries = (skip?: SkipFolder) => Promise<{entries: Entry[]; skipped: BytePath[]} | undefined>;

/** A parent generation's entry for a walked one, or undefined when the parent had none there. */
export type ParentEntries = {
	get: (entry: WalkedEntry) => Promise<Entry | undefined>;
	/** A walked folder's tree in the parent (format 2 only). */
	tree?: (entry: WalkedEntry) => Promise<FolderTree | undefined>;
	/** A walked entry's node in its parent folder's tree, without reading a folder's own tree (format 2 only). */
	node?: (entry: WalkedEntry) => Promise<TreeNode | undefined>;
};

export type Parent = {parent: GenerationInfo | undefined; entries: PreviousEntries; lookup: ParentEntries};

/**
 * The parent for change detection: the newest generation of any of the same source paths. A
 * format-2 parent is read one folder at a time, as the walk reaches it; a format-1 parent whole.
 */
export async function loadParent(repository: Repository, generations: GenerationInfo[], roots: SourceRoot[], index: BlobIndex, warn?: (message: string) => void): Promise<Parent> {
	const rootPaths = new Set(roots.map(root => root.path));
	const parent = generations.findLast(generation => generation.sources.some(source => rootPaths.has(source.path)));
	if (!parent) {
		return {parent, entries: async () => undefined, lookup: {get: async () => undefined}};
	}

	if (parent.format === 2 && parent.tree) {
		const entries: PreviousEntries = async skip => repository.readGeneration(parent.id, index, skip);
		return {parent, entries, lookup: await treeLookup(repository, parent, roots, index, warn)};
	}

	const {entries: whole} = await repository.readGeneration(parent.id, index);
	const byAbsolute = new Map<BytePath, Entry>();
	const rootOf = new Map(parent.sources.map(source => [source.name, source.path]));
	for (const entry of whole) {
		const slash = entry.path.indexOf('/');
		const base = rootOf.get(slash === -1 ? entry.path : entry.path.slice(0, slash));
		if (base !== undefined) {
			byAbsolute.set(base + (slash === -1 ? '' : entry.path.slice(slash)), entry);
		}
	}

	const absoluteOf = sourcePathOf(roots);
	return {parent, entries: async () => ({entries: whole, skipped: []}), lookup: {get: async entry => byAbsolute.get(absoluteOf(entry.path)!)}};
}

/** Walked paths start with this run's root names; the parent may have named the same folder otherwise. */
async function treeLookup(repository: Repository, parent: GenerationInfo, roots: SourceRoot[], index: BlobIndex, warn?: (message: string) => void): Promise<ParentEntries> {
	const what = `Generation ${parent.shortId} (#${parent.seq})`;
	const lookup = new TreeLookup(repository.treeReader(index), Buffer.from(parent.tree!, 'hex'), what, undefined, (path, error) => {
		warn?.(`${what} cannot list the folder ${toText(path)} (${error instanceof Error ? error.message : String(error)}), so its files are read again; run \`sedai repair --repo ${repository.root}\` to see what it lost.`);
	});
	await lookup.probe();
	const parentNameOf = new Map(parent.sources.map(source => [source.path, source.name]));
	const renamed = new Map<BytePath, BytePath | undefined>(roots.map(root => [root.name, parentNameOf.get(root.path)]));
	const parentPath = (entry: WalkedEntry) => {
		const slash = entry.path.indexOf('/');
		const name = renamed.get(slash === -1 ? entry.path : entry.path.slice(0, slash));
		return name === undefined ? undefined : name + (slash === -1 ? '' : entry.path.slice(slash));
	};

	return {
		async get(entry) {
			const path = parentPath(entry);
			return path === undefined ? undefined : lookup.get(path);
		},
		async tree(entry) {
			const path = parentPath(entry);
			return path === undefined ? undefined : lookup.tree(path);
		},
		async node(entry) {
			const path = parentPath(entry);
			return path === undefined ? undefined : lookup.node(path);
		},
	};
}

/**
 * Change detection: a file whose size, mtime, ctime and inode match its parent entry, and whose
 * chunks are all still indexed, is reused; any other non-empty file is read. `copy` gives this
 * repository its own entry objects (chunk lists differ between repositories). With `prints` (the
 * walk's, see walk-print.ts), a folder whose print is the parent's is kept whole: nothing below
 * it is looked up, and its files keep no chunk list here (their tree is the parent's).
 */
export async function planChanges(walked: WalkedEntry[], previous: ParentEntries, index: {has: (id: Uint8Array) => boolean}, copy: boolean, prints?: ReadonlyMap<BytePath, Buffer>): Promise<Pick<TargetPlan, 'entries' | 'files' | 'reusedFiles' | 'folders'>> {
	const entries = copy ? walked.map(entry => ({...entry})) : walked;
	const files: FilePlan[] = [];
	const tally = new FolderTally();
	// Folders kept whole, and every folder below them.
	const keptWhole = new Set<BytePath>();
	let reusedFiles = 0;
	const turn = eventLoopTurns();
	const garbage = new GarbageMeter(planGarbage.every, planGarbage.oldSlack);
	for (const [i, entry] of entries.entries()) {
		if (keptWhole.size > 0 && keptWhole.has(dirname(entry.path))) {
			if (entry.type === 'dir') {
				keptWhole.add(entry.path);
			} else if (entry.type === 'file') {
				reusedFiles++;
			}

			continue;
		}

		garbage.add(planGarbage.perEntry);
		if (entry.type !== 'file') {
			if (prints && entry.type === 'dir' && await matchesPrint(entry, walked[i], previous, index, prints, tally)) {
				keptWhole.add(entry.path);
			} else if (previous.tree) {
				await tallyOther(entry, walked[i], previous, index, tally);
			}

			continue;
		}

		await turn();
		const before = await previous.get(walked[i]);
		if (before?.type === 'file' && before.chunks && before.size === entry.size && before.mtimeNs === entry.mtimeNs
			&& before.ctimeNs === entry.ctimeNs && before.ino === entry.ino && allPresent(before, index)) {
			entry.chunks = before.chunks;
			if (before.sha256) {
				entry.sha256 = digestOf(before.chunks, before.sha256);
			}

			reusedFiles++;
			tally.child(entry.path, sameNode(entry, before));
			continue;
		}

		tally.child(entry.path, false);

		if (entry.size === 0) {
			entry.chunks = Buffer.alloc(0);
			entry.sha256 = emptySha256;
			continue;
		}

		// Small files are one blob; larger ones are chunked, in 32 MiB segments for parallelism.
		const whole = entry.size <= wholeFileLimit;
		const segments = whole ? 1 : Math.ceil(entry.size / segmentSize);
		files.push({entry, source: walked[i], whole, segments, results: Array.from({length: segments}), bytes: 0});
	}

	return {entries, files, reusedFiles, folders: tally.result()};
}

/** A walked folder whose print is the one its parent node holds, with that tree still indexed: kept whole. */
async function matchesPrint(entry: WalkedEntry, walked: WalkedEntry, previous: ParentEntries, index: {has: (id: Uint8Array) => boolean}, prints: ReadonlyMap<BytePath, Buffer>, tally: FolderTally): Promise<boolean> {
	const print = prints.get(walked.path);
	const before = print && previous.node ? await previous.node(walked) : undefined;
	if (before?.type !== 'dir' || !before.print || !before.subtree || !before.print.equals(print!) || !index.has(before.subtree)) {
		return false;
	}

	tally.child(entry.path, sameNode(entry, entryOf(before, entry.path)));
	tally.whole(entry.path, before.subtree, before.print);
	return true;
}

/** A folder, symlink or hardlink: does it match the parent's node, and (a folder) what tree had it? */
async function tallyOther(entry: WalkedEntry, walked: WalkedEntry, previous: ParentEntries, index: {has: (id: Uint8Array) => boolean}, tally: FolderTally): Promise<void> {
	const before = await previous.get(walked);
	tally.child(entry.path, sameNode(entry, before));
	if (entry.type === 'dir' && before?.type === 'dir') {
		const tree = await previous.tree!(walked);
		// A tree only the medium still has (not the index) is written again, not named.
		if (tree && index.has(tree.id)) {
			tally.folder(entry.path, tree);
		}
	}
}

/**
 * A file stored as one blob has the content's SHA-256 as its chunk id: the entry then keeps one
 * Buffer for both (a Buffer object costs about 100 bytes of heap; 200,000 files, 20 MB).
 */
export function digestOf(chunks: Buffer, sha256: Buffer): Buffer {
	return chunks.length === sha256.length && chunks.equals(sha256) ? chunks : sha256;
}

function allPresent(entry: Entry, index: {has: (id: Uint8Array) => boolean}): boolean {
	const count = chunkCount(entry);
	for (let i = 0; i < count; i++) {
		if (!index.has(chunkId(entry, i))) {
			return false;
		}
	}

	return true;
}
