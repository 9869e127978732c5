import {SedaiError} from '../../errors.js';
import {fromText, isSafeRelative, isWithin, toText, type BytePath} from '../../byte-path.js';
import type {BlobIndex} from '../../repository/blob-index.js';
import type {Entry} from '../../repository/manifest.js';
import {layOutFile, type FileLayout} from './file-layout.js';
import type {RestoreProblem} from './types.js';

/**
 * What a restore will do, decided before anything is written: the selected entries, minus any
 * whose path would land outside the target, sorted into folders, files (with their chunks'
 * places), hardlinks to files restored here, and symlinks (made last). A file's chunk places are
 * laid out when it is written and again when it is read back, not kept: for 200,000 files they
 * were a fifth of the restore's heap.
 */
export type FilePlan = {
	entry: Entry;
	/** The entry holding the chunks: the file itself, or the first link of a hardlinked file. */
	content: Entry;
	size: number;
};

export type RestorePlan = {
	directories: Entry[];
	files: FilePlan[];
	hardlinks: Entry[];
	symlinks: Entry[];
	refused: RestoreProblem[];
	mismatches: RestoreProblem[];
	/** Every path this restore creates, so marked names never take one. */
	paths: Set<BytePath>;
	/** Where a file's chunks are and which are lost (holes known before writing). */
	layout: (file: FilePlan) => FileLayout;
};

export function selectEntries(entries: Entry[], include: string[], generationName: string): Entry[] {
	if (include.length === 0) {
		return entries;
	}

	const prefixes = include.map(text => fromText(text.replaceAll(/^\/+|\/+$/g, '')));
	for (const prefix of prefixes) {
		if (!entries.some(entry => isWithin(entry.path, prefix))) {
			throw new SedaiError('not-found', `Generation ${generationName} has nothing at "${toText(prefix)}": see \`sedai ls\` for its paths.`);
		}
	}

	return entries.filter(entry => prefixes.some(prefix => isWithin(entry.path, prefix)));
}

export function planRestore(entries: Entry[], selected: Entry[], index: BlobIndex, packFile: (packId: string) => string): RestorePlan {
	const packs = new Map<string, string>();
	// One path string per pack, not one per chunk.
	const packOf = (packId: string) => packs.get(packId) ?? packs.set(packId, packFile(packId)).get(packId)!;
	const layout = (file: FilePlan) => layOutFile(file.content, index, packOf);
	const plan: RestorePlan = {directories: [], files: [], hardlinks: [], symlinks: [], refused: [], mismatches: [], paths: new Set(), layout};
	const safe = selected.filter(entry => {
		if (isSafeRelative(entry.path)) {
			return true;
		}

		plan.refused.push({path: toText(entry.path), reason: 'the path would land outside the restore folder'});
		return false;
	});
	for (const entry of safe) {
		plan.paths.add(entry.path);
	}

	let byPath: Map<BytePath, Entry> | undefined;
	for (const entry of safe) {
		switch (entry.type) {
			case 'dir': {
				plan.directories.push(entry);
				break;
			}

			case 'symlink': {
				plan.symlinks.push(entry);
				break;
			}

			case 'file': {
				plan.files.push({entry, content: entry, size: entry.size});
				break;
			}

			case 'hardlink': {
				byPath ??= new Map(entries.map(item => [item.path, item]));
				planHardlink(entry, byPath.get(entry.target!), plan);
				break;
			}
		}
	}

	return plan;
}

function planHardlink(entry: Entry, leader: Entry | undefined, plan: RestorePlan): void {
	if (leader && plan.paths.has(leader.path)) {
		plan.hardlinks.push(entry);
	} else if (leader?.chunks) {
		// Its first link is not restored here: this one carries the content.
		plan.files.push({entry, content: leader, size: leader.size});
	} else {
		plan.mismatches.push({path: toText(entry.path), reason: 'hardlink to a file missing from the generation'});
	}
}
