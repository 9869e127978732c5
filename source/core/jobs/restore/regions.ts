import type {Region} from './types.js';

/** Sorted by offset, touching or overlapping regions joined: one entry per hole. */
export function mergeRegions(regions: Region[]): Region[] {
	const sorted = regions.filter(region => region.length > 0).sort((a, b) => a.offset - b.offset);
	const merged: Region[] = [];
	for (const region of sorted) {
		const last = merged.at(-1);
		if (last && region.offset <= last.offset + last.length) {
			last.length = Math.max(last.length, region.offset + region.length - last.offset);
		} else {
			merged.push({...region});
		}
	}

	return merged;
}
