import type {BytePath} from '../../byte-path.js';
import type {Entry} from '../../repository/manifest.js';
import {blobFlags, encodeBlob, type Compression} from '../../repository/blob-codec.js';
import {sha256} from '../../repository/crypto.js';
import {buildTrees, type ReusableFolders} from '../../repository/tree.js';
import type {BlobSink} from './pack.js';

/**
 * Trees: a format-2 generation's folder lists, stored as blobs beside the data before the last
 * pack closes. A folder whose list is already in the repository is not written again, and one
 * found unchanged since the parent (`reusable`) is not even encoded. `folders` maps each folder
 * to its tree id (hex), so the sentinel reads only the parent's changed folders.
 */
export async function writeTrees(entries: Entry[], sink: BlobSink, key: Uint8Array | undefined, compression: Compression, reusable?: ReusableFolders): Promise<{root: Buffer; written: number; folders: Map<BytePath, string>}> {
	let written = 0;
	const folders = new Map<BytePath, string>();
	const root = await buildTrees(entries, async plain => {
		const id = sha256(plain);
		const stored = await sink.addOwn(id, () => {
			const {data, flags, rawLength} = encodeBlob(key, id, plain, compression);
			return {data, rawLength, flags: flags | blobFlags.tree};
		});
		if (stored) {
			written++;
		}

		return id;
	}, (path, id) => {
		folders.set(path, id.toString('hex'));
	}, reusable);
	return {root, written, folders};
}
