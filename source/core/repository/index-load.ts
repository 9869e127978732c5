import fs from 'node:fs/promises';
import type {Sealer} from './crypto.js';
import {BlobIndex, type PackRecord} from './blob-index.js';
import {readIndexFile} from './index-rebuild.js';
import type {Layout} from './layout.js';
import {listPackIds, readPackTrailer} from './pack.js';

export type LoadedIndex = {
	index: BlobIndex;
	/** Packs present in data/ that no index file lists: leftovers of an interrupted run. */
	unindexedPacks: string[];
	/** Unindexed packs whose trailer could not be read (torn writes). */
	unreadablePacks: string[];
	indexFiles: string[];
	/** Index files that failed their integrity check: their packs are read from their trailers instead. */
	damagedIndexFiles: Array<{name: string; error: string}>;
};

/**
 * The blob index from every index file, plus the trailers of packs none of them names (an
 * interrupted run's, or a damaged index file's): damage to an index costs a warning, not a job.
 * `writeRecovered` may write those trailers as a new index file and return its name.
 */
export async function loadIndexOf(layout: Layout, sealer: Sealer, writeRecovered: (packs: PackRecord[]) => Promise<string | undefined>): Promise<LoadedIndex> {
	const index = new BlobIndex(4096);
	const indexFiles = await fs.readdir(layout.index).catch(() => [] as string[]);
	const valid: string[] = [];
	const damagedIndexFiles: Array<{name: string; error: string}> = [];
	for (const name of indexFiles.sort()) {
		if (!/^[\da-f]{32}$/.test(name)) {
			continue;
		}

		const packs = await readIndexFile(layout, sealer, name);
		if ('error' in packs) {
			damagedIndexFiles.push({name, error: packs.error});
			continue;
		}

		for (const pack of packs.records) {
			index.addPack(pack);
		}

		valid.push(name);
	}

	const unindexedPacks: string[] = [];
	const unreadablePacks: string[] = [];
	const recovered: PackRecord[] = [];
	for (const packId of await listPackIds(layout)) {
		if (index.hasPack(packId)) {
			continue;
		}

		unindexedPacks.push(packId);
		try {
			const record = await readPackTrailer(layout, sealer, packId);
			index.addPack(record);
			recovered.push(record);
		} catch {
			unreadablePacks.push(packId);
		}
	}

	if (recovered.length > 0) {
		const written = await writeRecovered(recovered);
		if (written) {
			valid.push(written);
		}
	}

	return {index, unindexedPacks, unreadablePacks, indexFiles: valid, damagedIndexFiles};
}
