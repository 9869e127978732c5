import {readRecord, writeRecord} from '../../repository/records.js';
import type {Repository} from '../../repository/repository.js';
import type {PackBlob} from '../../workers/protocol.js';

/**
 * Rolling full verification: each run reads the next slice of packs (in pack-id order, after the
 * last one read), so a cartridge inserted k times has had every byte read once it completes a
 * cycle, without one long read. The cursor is kept on the medium itself, sealed like its other
 * records, so it travels with the cartridge from machine to machine.
 */
export type SliceBudget = {
	/** Fraction (0–1] of the repository's pack bytes to read in this run. */
	fraction?: number;
	/** Stop starting new packs after this long. */
	maxMs?: number;
};

export type RollingState = {
	version: 1;
	/** When the current cycle read its first pack. */
	cycleStarted: string;
	/** The last pack id read in this cycle; the next slice starts after it. */
	cursor?: string;
	/** Bytes and problems found so far in this cycle. */
	cycleBytes: number;
	cycleProblems: number;
	slices: number;
	lastCycle?: {started: string; completed: string; ok: boolean; slices: number};
};

/** What one run read, and where the cycle stands after it (in the verify result and record). */
export type RollingSlice = {
	/** Pack ids read: those after `after` (from the first when absent) up to and including `through`. */
	after?: string;
	through?: string;
	packs: number;
	bytes: number;
	/** Share of the repository's packs (by bytes) read in this cycle so far, 0–1. */
	covered: number;
	cycleStarted: string;
	/** True when this slice read the last packs of the cycle. */
	cycleComplete: boolean;
	/** Problems found in the whole cycle, this slice included. */
	cycleProblems: number;
	/** Whether the cursor could be kept on the medium (false on a read-only one). */
	recorded: boolean;
};

const recordName = 'rolling.sealed';

export async function readRollingState(repository: Repository): Promise<{state?: RollingState; damaged?: string}> {
	const found = await readRecord(repository, 'verifications', recordName);
	if (!found) {
		return {};
	}

	return isState(found.data) ? {state: found.data} : {damaged: found.damaged ?? 'is not a rolling-verification record'};
}

export async function writeRollingState(repository: Repository, state: RollingState): Promise<void> {
	await writeRecord(repository, 'verifications', recordName, state);
}

/** Packs after the cursor, in id order, until the slice holds its share of the bytes (at least one pack). */
export function packsAfter(packs: Map<string, number>, cursor: string | undefined, fraction: number | undefined): string[] {
	const ids = [...packs.keys()].filter(id => cursor === undefined || id > cursor).sort();
	if (fraction === undefined) {
		return ids;
	}

	let total = 0;
	for (const bytes of packs.values()) {
		total += bytes;
	}

	const want = total * Math.min(1, Math.max(0, fraction));
	const chosen: string[] = [];
	let bytes = 0;
	for (const id of ids) {
		if (chosen.length > 0 && bytes >= want) {
			break;
		}

		chosen.push(id);
		bytes += packs.get(id)!;
	}

	return chosen;
}

/** The share of pack bytes at or before the cursor: what this cycle has read (packs added since sit where their id falls). */
export function coveredShare(packs: Map<string, number>, cursor: string | undefined): number {
	let total = 0;
	let covered = 0;
	for (const [id, bytes] of packs) {
		total += bytes;
		if (cursor !== undefined && id <= cursor) {
			covered += bytes;
		}
	}

	return total === 0 ? 1 : covered / total;
}

function isState(data: unknown): data is RollingState {
	const item = data as Partial<RollingState> | undefined;
	return typeof item === 'object' && item !== null && item.version === 1 && typeof item.cycleStarted === 'string'
		&& (item.cursor === undefined || typeof item.cursor === 'string') && typeof item.cycleBytes === 'number'
		&& typeof item.cycleProblems === 'number' && typeof item.slices === 'number';
}

/** The cycle after one run: the cursor moves past what was read; reading the last pack ends the cycle. */
export function advanceRolling(previous: RollingState | undefined, run: {now: string; packs: Map<string, number>; read: string[]; bytes: number; problems: number}): {state: RollingState; slice: Omit<RollingSlice, 'recorded'>} {
	const fresh = previous?.cursor === undefined;
	const started = fresh ? run.now : previous.cycleStarted;
	const cursor = run.read.at(-1) ?? previous?.cursor;
	const cycleProblems = (fresh ? 0 : previous.cycleProblems) + run.problems;
	const slices = (fresh ? 0 : previous.slices) + 1;
	const cycleComplete = ![...run.packs.keys()].some(id => cursor === undefined || id > cursor);
	const slice = {...(previous?.cursor ? {after: previous.cursor} : {}), ...(run.read.length > 0 ? {through: run.read.at(-1)} : {}), packs: run.read.length, bytes: run.bytes, covered: cycleComplete ? 1 : coveredShare(run.packs, cursor), cycleStarted: started, cycleComplete, cycleProblems};
	const state: RollingState = cycleComplete
		? {version: 1, cycleStarted: run.now, cycleBytes: 0, cycleProblems: 0, slices: 0, lastCycle: {started, completed: run.now, ok: cycleProblems === 0, slices}}
		: {version: 1, cycleStarted: started, cursor, cycleBytes: (fresh ? 0 : previous.cycleBytes) + run.bytes, cycleProblems, slices, ...(previous?.lastCycle ? {lastCycle: previous.lastCycle} : {})};
	return {state, slice};
}

/** Bytes per pack, from the blobs the index places in it. */
export function sizesOf(packBlobs: Map<string, PackBlob[]>): Map<string, number> {
	return new Map([...packBlobs].map(([packId, blobs]) => [packId, blobs.reduce((sum, blob) => sum + blob.length, 0)]));
}

/** Advance the cycle and keep its cursor on the medium (a read-only medium keeps the old one). */
export async function keepRolling(repository: Repository, previous: RollingState | undefined, run: Parameters<typeof advanceRolling>[1], record: boolean): Promise<RollingSlice> {
	const {state, slice} = advanceRolling(previous, run);
	const recorded = record && (await repository.probeWritable()).writable
		&& await writeRollingState(repository, state).then(() => true, () => false);
	return {...slice, recorded};
}
