import fs from 'node:fs/promises';
import {contextOf, type Sealer} from './crypto.js';
import {decodePackRecords, type PackRecord} from './blob-index.js';
import {indexPath, type Layout} from './layout.js';

/**
 * Index files are a cache of the packs' own trailers: a damaged one is skipped and the packs it
 * named are read from their trailers (Repository.loadIndex), so it blocks nothing; `sedai
 * repair` writes the rebuilt part down and removes the damaged file.
 */
export async function readIndexFile(layout: Layout, sealer: Sealer, name: string): Promise<{records: PackRecord[]} | {error: string}> {
	let data: Buffer;
	try {
		data = await fs.readFile(indexPath(layout, name));
	} catch (error) {
		return {error: `it cannot be read (${(error as {code?: string}).code ?? String(error)})`};
	}

	const plain = sealer.tryOpen(data, contextOf('index', name));
	if (!plain) {
		return {error: 'it fails its integrity check'};
	}

	try {
		return {records: decodePackRecords(plain)};
	} catch (error) {
		return {error: `its records are malformed (${error instanceof Error ? error.message : String(error)})`};
	}
}

/** The one warning a job gives when it worked around damaged index files. */
export function indexDamageWarning(loaded: {damagedIndexFiles: Array<{name: string}>; unindexedPacks: string[]}, root: string): string | undefined {
	const names = loaded.damagedIndexFiles.map(item => item.name);
	if (names.length === 0) {
		return undefined;
	}

	const which = names.length === 1 ? `Index file ${names[0]} is damaged` : `${names.length} index files are damaged (${names.join(', ')})`;
	const how = loaded.unindexedPacks.length > 0
		? `the index was rebuilt in memory from the trailers of ${loaded.unindexedPacks.length} pack(s) and the job goes on`
		: 'other index files name all the packs, so nothing is missing';
	return `${which}: ${how}; run \`sedai repair --repo ${root}\` to rewrite it.`;
}
