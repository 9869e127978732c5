import {fromText, isWithin, toText, type BytePath} from './byte-path.js';
import type {Entry} from './repository/manifest.js';

/** Listing and comparing generations: pure functions over manifests. */
export type ListedEntry = {
	path: string;
	type: Entry['type'];
	mode: string;
	size: number;
	mtime: string;
	target?: string;
};

export function formatMode(entry: Entry): string {
	const kind = {file: '-', dir: 'd', symlink: 'l', hardlink: 'h'}[entry.type];
	const bits = 'rwxrwxrwx';
	let text = kind;
	for (let i = 0; i < 9; i++) {
		text += (entry.mode & (1 << (8 - i))) ? bits[i] : '-';
	}

	return text;
}

export function mtimeIso(entry: Entry): string {
	return new Date(Number(entry.mtimeNs / 1_000_000n)).toISOString();
}

export function listEntries(entries: Entry[], under?: string): ListedEntry[] {
	const prefix: BytePath = under ? fromText(under.replaceAll(/^\/+|\/+$/g, '')) : '';
	return entries.filter(entry => isWithin(entry.path, prefix)).map(entry => ({
		path: toText(entry.path),
		type: entry.type,
		mode: formatMode(entry),
		size: entry.size,
		mtime: mtimeIso(entry),
		...(entry.target === undefined ? {} : {target: toText(entry.target)}),
	}));
}

export type DiffKind = 'added' | 'removed' | 'changed' | 'metadata';

export type DiffItem = {path: string; kind: DiffKind; type: Entry['type']; sizeBefore?: number; sizeAfter?: number};

export type DiffResult = {
	added: DiffItem[];
	removed: DiffItem[];
	/** Content (or type, or link target) differs. */
	changed: DiffItem[];
	/** Only mode, owner or mtime differ. */
	metadata: DiffItem[];
};

function sameContent(a: Entry, b: Entry): boolean {
	if (a.type !== b.type || a.size !== b.size || a.target !== b.target) {
		return false;
	}

	// The whole-file hash is the same on every medium; chunk ids differ between repositories.
	if (a.sha256 && b.sha256) {
		return a.sha256.equals(b.sha256);
	}

	if (a.chunks && b.chunks) {
		return a.chunks.equals(b.chunks);
	}

	return a.chunks === b.chunks;
}

export function diffEntries(before: Entry[], after: Entry[]): DiffResult {
	const result: DiffResult = {added: [], removed: [], changed: [], metadata: []};
	const old = new Map(before.map(entry => [entry.path, entry]));
	for (const entry of after) {
		const previous = old.get(entry.path);
		if (!previous) {
			result.added.push({path: toText(entry.path), kind: 'added', type: entry.type, sizeAfter: entry.size});
			continue;
		}

		old.delete(entry.path);
		if (!sameContent(previous, entry)) {
			result.changed.push({path: toText(entry.path), kind: 'changed', type: entry.type, sizeBefore: previous.size, sizeAfter: entry.size});
		} else if (previous.mode !== entry.mode || previous.uid !== entry.uid || previous.gid !== entry.gid || (entry.type !== 'dir' && previous.mtimeNs !== entry.mtimeNs)) {
			result.metadata.push({path: toText(entry.path), kind: 'metadata', type: entry.type});
		}
	}

	for (const entry of old.values()) {
		result.removed.push({path: toText(entry.path), kind: 'removed', type: entry.type, sizeBefore: entry.size});
	}

	return result;
}
