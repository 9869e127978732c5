import {SedaiError} from '../../errors.js';
import {fromText, isSafeRelative, isWithin, toText, type BytePath} from '../../byte-path.js';
import type {BlobIndex} from '../../repository/blob-index.js';
import type {Entry} from '../../repository/manifest.js';
import {layOutFile, type FileRange} from './file-layout.js';
import type {Region, RestoreProblem} from './types.js';

/**
 * What a restore will do, decided before anything is written: the selected entries, minus any
 * whose path would land outside the target, sorted into folders, files (with their chunks'
 * places), hardlinks to files restored here, and symlinks (made last).
 */
export type FilePlan = {
	entry: Entry;
	size: number;
	ranges: FileRange[];
	/** Holes known before writing: chunks the index has lost. */
	missing: Region[];
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
	const plan: RestorePlan = {directories: [], files: [], hardlinks: [], symlinks: [], refused: [], mismatches: [], paths: new Set()};
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

	const byPath = new Map(entries.map(entry => [entry.path, entry]));
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
				plan.files.push(planFile(entry, entry, index, packFile));
				break;
			}

			case 'hardlink': {
				planHardlink(entry, byPath.get(entry.target!), plan, index, packFile);
				break;
			}
		}
	}

	return plan;
}

function planHardlink(entry: Entry, leader: Entry | undefined, plan: RestorePlan, index: BlobIndex, packFile: (packId: string) => string): void {
	if (leader && plan.paths.has(leader.path)) {
		plan.hardlinks.push(entry);
	} else if (leader?.chunks) {
		// Its first link is not restored here: this one carries the content.
		plan.files.push(planFile(entry, leader, index, packFile));
	} else {
		plan.mismatches.push({path: toText(entry.path), reason: 'hardlink to a file missing from the generation'});
	}
}

function planFile(entry: Entry, content: Entry, index: BlobIndex, packFile: (packId: string) => string): FilePlan {
	const {ranges, missing} = layOutFile(content, index, packFile);
	return {entry, size: content.size, ranges, missing};
}
