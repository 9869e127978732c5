import type {Repository} from '../core/repository/repository.js';
import type {GenerationInfo} from '../core/repository/generations.js';
import type {VerifyResult} from '../core/jobs/verify.js';
import {evidenceOf} from '../core/jobs/verify/evidence.js';
import type {RestoreResult} from '../core/jobs/restore.js';
import type {GenerationSummary, StateStore} from './state.js';

/** Bridges from engine results to the local memory of cartridges, checks and drills. */
export function summarize(generation: GenerationInfo): GenerationSummary {
	return {
		id: generation.id,
		shortId: generation.shortId,
		seq: generation.seq,
		time: generation.time,
		files: generation.totals.files,
		bytes: generation.totals.bytes,
		newBytes: generation.totals.newBytes,
		storedBytes: generation.totals.storedBytes,
		suspect: generation.sentinel?.suspect ?? false,
		...(generation.sentinel?.suspect ? {suspectReasons: generation.sentinel.reasons} : {}),
	};
}

export async function rememberRepository(state: StateStore, repository: Repository, extra: {mount?: string; device?: string; fsType?: string; removable?: boolean} = {}): Promise<void> {
	const {generations} = await repository.listGenerations();
	const previous = state.cartridge(repository.id);
	const known = new Map(previous?.generations.map(generation => [generation.id, generation]));
	state.remember({
		id: repository.id,
		label: repository.label,
		...(repository.config.site ? {site: repository.config.site} : {}),
		encrypted: Boolean(repository.config.encryption),
		lastPath: repository.root,
		...(extra.mount ? {lastMount: extra.mount} : {}),
		...(extra.device ? {lastDevice: extra.device} : {}),
		...(extra.fsType ? {fsType: extra.fsType} : {}),
		...(extra.removable === undefined ? {} : {removable: extra.removable}),
		// Keep what the system layer learned about protection; refresh the rest.
		generations: generations.map(generation => ({...known.get(generation.id), ...summarize(generation)})),
		...chainHeadOf(previous?.chainHead, generations.at(-1)),
	});
}

function chainHeadOf(before: {seq: number; id: string} | undefined, newest: GenerationInfo | undefined): {chainHead?: {seq: number; id: string}} {
	const head = newest && (!before || newest.seq > before.seq) ? {seq: newest.seq, id: newest.id} : before;
	return head ? {chainHead: head} : {};
}

export function recordVerification(state: StateStore, result: VerifyResult): void {
	const {level, ok, time, problemCount, covered} = evidenceOf(result);
	state.recordVerification({
		repositoryId: result.repositoryId,
		label: result.label,
		level,
		ok,
		time,
		durationMs: result.durationMs,
		problems: problemCount,
		bytesRead: result.bytesRead,
		...(covered === undefined ? {} : {covered}),
	});
}

/** A test restore, or a full drill (its verdict, its report file and its RTO). */
export function recordDrill(state: StateStore, repository: Repository, result: RestoreResult, drill?: {passed: boolean; report: string; rtoMs: number}): void {
	state.recordDrill({
		repositoryId: repository.id,
		label: repository.label,
		generation: result.generation.id,
		generationTime: result.generation.time,
		time: new Date().toISOString(),
		ok: drill ? drill.passed : result.ok,
		files: result.files,
		bytes: result.bytes,
		restoreMs: result.restoreMs,
		verifyMs: result.verifyMs,
		into: result.into,
		mismatches: result.mismatches.length,
		...(drill ? {kind: 'drill' as const, report: drill.report, rtoMs: drill.rtoMs} : {}),
	});
}
