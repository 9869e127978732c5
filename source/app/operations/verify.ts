import {runVerify, type VerifyLevel, type VerifyResult} from '../../core/jobs/verify.js';
import type {SliceBudget} from '../../core/jobs/verify/rolling.js';
import {recordVerification} from '../../settings/remember.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, openMedium, type MediumRef} from './medium-job.js';
import {rememberMedium} from './remember.js';

/** Verify a medium (structure, or every byte), and remember the outcome as compliance evidence. */
export type {VerifyResult} from '../../core/jobs/verify.js';

/**
 * What the console offers: a structure check, a full read, or the next rolling slice (a fifth
 * of the packs, so five insertions of a cartridge read every byte without one long wait).
 */
export type VerifyMode = VerifyLevel | 'slice';
export const consoleSliceShare = 0.2;

export function verifyRequest(mode: VerifyMode): {level: VerifyLevel; slice?: SliceBudget} {
	return mode === 'slice' ? {level: 'full', slice: {fraction: consoleSliceShare}} : {level: mode};
}

export async function verifyMedium(context: OperationContext, ref: MediumRef & {level: VerifyLevel; slice?: SliceBudget}): Promise<JobEnd<VerifyResult>> {
	return runJob(context, {kind: 'verify', label: await labelOf(ref), detail: ref.slice ? 'slice' : ref.level}, async job => {
		const {medium, repository} = await openMedium(context, ref);
		const anchor = context.state.cartridge(repository.id)?.chainHead;
		const result = await runVerify(repository, {level: ref.level, signal: context.signal, onEvent: job.onEvent, ...(anchor ? {anchor} : {}), ...(ref.slice ? {slice: ref.slice} : {})});
		await rememberMedium(context, repository, medium);
		try {
			recordVerification(context.state, result);
		} catch {
			// Recorded on the medium already; the local copy is a convenience.
		}

		return {status: result.ok ? 'ok' : 'damage', result};
	});
}
