import fs from 'node:fs/promises';
import type {Repository} from '../../repository/repository.js';
import {packPath} from '../../repository/layout.js';
import {packEndMagic, packMagic, readPackTrailer} from '../../repository/pack.js';
import type {BlobRecord} from '../../repository/blob-index.js';
import type {PackBlob} from '../../workers/protocol.js';

/**
 * The bytes of a pack around its blobs, for `verify --full`: the header magic, the trailer (it
 * must authenticate, name this pack, agree with the index, and its blobs must tile the space
 * between header and trailer with no gap), the trailer length and the end magic. With the
 * blobs re-hashed by the workers, every byte of the pack is then checked.
 */
export async function checkPackFrame(repository: Repository, packId: string, indexed: PackBlob[]): Promise<string[]> {
	const file = packPath(repository.layout, packId);
	const problems: string[] = [];
	const handle = await fs.open(file, 'r');
	let size: number;
	let trailerLength: number;
	try {
		size = (await handle.stat()).size;
		const head = Buffer.alloc(packMagic.length);
		await handle.read(head, 0, head.length, 0);
		if (!head.equals(packMagic)) {
			problems.push(`Pack ${packId}: its header is damaged (the pack marker at its start is wrong).`);
		}

		const tail = Buffer.alloc(4);
		await handle.read(tail, 0, 4, Math.max(0, size - packEndMagic.length - 4));
		trailerLength = tail.readUInt32LE(0);
	} finally {
		await handle.close();
	}

	let blobs: BlobRecord[];
	try {
		blobs = (await readPackTrailer(repository.layout, repository.sealer, packId)).blobs;
	} catch (error) {
		problems.push(`Pack ${packId}: its trailer is damaged (${error instanceof Error ? error.message : String(error)}); its blobs are still found through the index, but no index could be rebuilt from it if the index were lost.`);
		return problems;
	}

	const gap = firstGap(blobs, size - packEndMagic.length - 4 - trailerLength);
	if (gap) {
		problems.push(`Pack ${packId}: ${gap}.`);
	}

	const byOffset = new Map(blobs.map(blob => [blob.offset, blob]));
	const disagreeing = indexed.filter(blob => !sameBlob(byOffset.get(blob.offset), blob)).length;
	if (disagreeing > 0) {
		problems.push(`Pack ${packId}: ${disagreeing} blob(s) the index places in it are not where its trailer says: the index or the trailer was altered; run \`sedai repair\`.`);
	}

	return problems;
}

function firstGap(blobs: BlobRecord[], trailerStart: number): string | undefined {
	let at = packMagic.length;
	for (const blob of blobs.toSorted((a, b) => a.offset - b.offset)) {
		if (blob.offset !== at) {
			return `bytes ${at}–${blob.offset} belong to no blob its trailer lists`;
		}

		at += blob.length;
	}

	return at === trailerStart ? undefined : `its blobs end at byte ${at} but its trailer starts at byte ${trailerStart}`;
}

function sameBlob(trailer: BlobRecord | undefined, indexed: PackBlob): boolean {
	return trailer !== undefined
		&& Buffer.compare(trailer.id, indexed.id) === 0
		&& trailer.length === indexed.length
		&& trailer.rawLength === indexed.rawLength
		&& trailer.flags === indexed.flags;
}
