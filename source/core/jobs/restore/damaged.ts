import fs from 'node:fs/promises';
import {toBuffer, toText, type BytePath} from '../../byte-path.js';
import type {FileOutcome} from './write-files.js';
import {mergeRegions} from './regions.js';
import type {DamagedFile} from './types.js';

/**
 * A file restored with holes must never pass for a good one: it is moved to
 * `<name>.sedai-damaged` (or `-2`, `-3`… when the generation itself uses that name) and listed
 * with its holes. `taken` holds every path in use (the generation's, and marks given out). The move never replaces anything: link then unlink, so an existing file wins.
 */
export const damagedSuffix = '.sedai-damaged';

export function holesOf(outcome: FileOutcome) {
	return mergeRegions(outcome.lost);
}

export async function markDamaged(outcomes: FileOutcome[], options: {base: BytePath; taken: Set<BytePath>; keepNames: boolean}): Promise<DamagedFile[]> {
	const damaged: DamagedFile[] = [];
	for (const outcome of outcomes) {
		const missing = holesOf(outcome);
		if (outcome.failed !== undefined || missing.length === 0) {
			continue;
		}

		const relative = outcome.plan.entry.path;
		const savedAs = options.keepNames ? relative : await moveAside(outcome, options.base, options.taken);
		damaged.push({path: toText(relative), savedAs: toText(savedAs), missing});
	}

	return damaged;
}

async function moveAside(outcome: FileOutcome, base: BytePath, taken: Set<BytePath>): Promise<BytePath> {
	const relative = outcome.plan.entry.path;
	for (let n = 1; ; n++) {
		const candidate = `${relative}${damagedSuffix}${n > 1 ? `-${n}` : ''}`;
		if (taken.has(candidate)) {
			continue;
		}

		taken.add(candidate);
		if (await linkInto(outcome.target, `${base}/${candidate}`)) {
			outcome.target = `${base}/${candidate}`;
			return candidate;
		}
	}
}

/** False when `to` exists already; a filesystem without hardlinks (exFAT) gets a checked rename. */
async function linkInto(from: BytePath, to: BytePath): Promise<boolean> {
	try {
		await fs.link(toBuffer(from), toBuffer(to));
	} catch (error) {
		const {code} = error as {code?: string};
		if (code === 'EEXIST') {
			return false;
		}

		if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') {
			throw error;
		}

		if (await fs.lstat(toBuffer(to)).then(() => true, () => false)) {
			return false;
		}

		await fs.rename(toBuffer(from), toBuffer(to));
		return true;
	}

	await fs.unlink(toBuffer(from));
	return true;
}
