import fs from 'node:fs/promises';
import path from 'node:path';
import {dirname, type BytePath} from '../../byte-path.js';
import type {LoadedIndex} from '../../repository/index-load.js';
import type {Entry} from '../../repository/manifest.js';
import type {FolderTree, ReusableFolder} from '../../repository/tree.js';

/**
 * Unchanged folders: a folder whose every child would encode exactly as in the parent generation
 * (same names, metadata, chunks, and subfolders themselves unchanged) keeps the parent's tree id,
 * so a no-change backup neither encodes nor hashes its 200,000 entries again. The verdict is made
 * during change detection, when each child's parent entry is at hand anyway; the tree builder
 * still checks the final child count and every subfolder's id before it trusts one.
 */
export type FolderVerdict = FolderTree & {
	/** Every child seen so far matched the parent's node. */
	same: boolean;
	seen: number;
};

/** Per folder path: the parent's tree id and child count, and whether it may be reused. */
export type KnownFolders = Map<BytePath, ReusableFolder>;

export class FolderTally {
	private readonly folders = new Map<BytePath, FolderVerdict>();
	private readonly wholes: Array<[BytePath, Buffer, Buffer]> = [];

	/** A walked folder whose walk print is the parent's: its tree is kept, nothing below it is looked at. */
	whole(path: BytePath, id: Buffer, print: Buffer): void {
		this.wholes.push([path, id, print]);
	}

	/** A walked folder the parent generation also had, with its tree (children are told after it: path order). */
	folder(path: BytePath, tree: FolderTree): void {
		this.folders.set(path, {...tree, same: true, seen: 0});
	}

	/** One walked entry and whether it matches the parent's node exactly. */
	child(path: BytePath, same: boolean): void {
		const verdict = this.folders.get(dirname(path));
		if (verdict) {
			verdict.seen++;
			verdict.same &&= same;
		}
	}

	result(): KnownFolders {
		const known: KnownFolders = new Map();
		for (const [path, {id, count, same, seen}] of this.folders) {
			known.set(path, {id, count, unchanged: same && seen === count});
		}

		for (const [path, id, print] of this.wholes) {
			known.set(path, {id, count: 0, unchanged: true, whole: true, print});
		}

		return known;
	}
}

/**
 * Would this walked entry encode as the parent's node did? Every field a tree node holds, except
 * a folder's subtree (the tree builder compares those). Names match by construction (same path).
 */
export function sameNode(entry: Entry, before: Entry | undefined): boolean {
	return before?.type === entry.type
		&& entry.mode === before.mode
		&& entry.uid === before.uid
		&& entry.gid === before.gid
		&& entry.mtimeNs === before.mtimeNs
		&& entry.ctimeNs === before.ctimeNs
		&& entry.ino === before.ino
		&& entry.target === before.target
		&& (entry.type === 'dir' || entry.type === 'symlink' || entry.size === before.size)
		&& sameBytes(entry.chunks, before.chunks)
		&& sameBytes(entry.sha256, before.sha256);
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
	return a === b || (a !== undefined && b !== undefined && a.equals(b));
}

/**
 * Whether folders may be kept whole by their walk print. Keeping one skips the check that each
 * file's chunks are still indexed. Blobs of a live generation leave the index only by damage: an
 * index or pack that cannot be read now, or packs that repair moved to quarantine/. While any of
 * that holds, every folder is read, and a file whose chunks are gone is read again from the source.
 */
export async function printsTrusted(loaded: LoadedIndex, repositoryRoot: string): Promise<boolean> {
	if (loaded.unreadablePacks.length > 0 || loaded.damagedIndexFiles.length > 0) {
		return false;
	}

	const quarantined = await fs.readdir(path.join(repositoryRoot, quarantineFolder)).catch(() => []);
	return quarantined.length === 0;
}

/** Where repair moves packs nothing can locate any more (jobs/repair.ts). */
export const quarantineFolder = 'quarantine';
