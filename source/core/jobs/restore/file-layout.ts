import type {BlobIndex, BlobLocation} from '../../repository/blob-index.js';
import {chunkCount, chunkId, type Entry} from '../../repository/manifest.js';
import type {RestorePiece} from '../../workers/protocol.js';
import type {Region} from './types.js';

/**
 * Where every chunk of a file goes. A chunk the index knows is placed by the lengths before it; a
 * chunk the index has lost has no known length, so chunks after the last lost one are placed back
 * from the end of the file, and everything between the first and last lost chunk is one hole.
 * Nothing is ever shifted: every byte written lands at its original offset.
 */
export type FileRange = {pieces: RestorePiece[]};

export type FileLayout = {ranges: FileRange[]; missing: Region[]};

export const rangeBytes = 32 * 1024 * 1024;

type Placed = {id: Buffer; location: BlobLocation; offset: number};

export function layOutFile(content: Entry, index: BlobIndex, packFile: (packId: string) => string, maxRangeBytes = rangeBytes): FileLayout {
	const count = chunkCount(content);
	const ids = Array.from({length: count}, (_, i) => chunkId(content, i));
	const locations = ids.map(id => index.get(id));
	const lost = locations.flatMap((location, i) => location ? [] : [i]);
	const placed: Placed[] = [];
	const missing: Region[] = [];
	let offset = 0;
	const firstLost = lost.length > 0 ? lost[0] : count;
	for (let i = 0; i < firstLost; i++) {
		placed.push({id: ids[i], location: locations[i]!, offset});
		offset += locations[i]!.rawLength;
	}

	if (lost.length > 0) {
		const tail: Placed[] = [];
		let end = content.size;
		for (let i = count - 1; i > lost.at(-1)!; i--) {
			end -= locations[i]!.rawLength;
			tail.unshift({id: ids[i], location: locations[i]!, offset: end});
		}

		// An index whose lengths do not add up places nothing after the first lost chunk.
		const consistent = end >= offset;
		missing.push({offset, length: (consistent ? end : content.size) - offset});
		if (consistent) {
			placed.push(...tail);
		}
	}

	return {ranges: splitRanges(placed, packFile, maxRangeBytes), missing: missing.filter(region => region.length > 0)};
}

/** Big files travel as several ranges, so every worker helps with one large database dump. */
function splitRanges(placed: Placed[], packFile: (packId: string) => string, maxRangeBytes: number): FileRange[] {
	const ranges: FileRange[] = [{pieces: []}];
	let bytes = 0;
	for (const {id, location, offset} of placed) {
		if (bytes >= maxRangeBytes) {
			ranges.push({pieces: []});
			bytes = 0;
		}

		ranges.at(-1)!.pieces.push({pack: packFile(location.packId), offset: location.offset, length: location.length, rawLength: location.rawLength, flags: location.flags, id, fileOffset: offset});
		bytes += location.rawLength;
	}

	return ranges;
}
