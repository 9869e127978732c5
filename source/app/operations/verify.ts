import {runVerify, type VerifyLevel, type VerifyResult} from '../../core/jobs/verify.js';
import {recordVerification} from '../../settings/remember.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, openMedium, type MediumRef} from './medium-job.js';
import {rememberMedium} from './remember.js';

/** Verify a medium (structure, or every byte), and remember the outcome as compliance evidence. */
export type {VerifyResult} from '../../core/jobs/verify.js';

export async function verifyMedium(context: OperationContext, ref: MediumRef & {level: VerifyLevel}): Promise<JobEnd<VerifyResult>> {
	return runJob(context, {kind: 'verify', label: await labelOf(ref), detail: ref.level}, async job => {
		const {medium, repository} = await openMedium(context, ref);
		const anchor = context.state.cartridge(repository.id)?.chainHead;
		const result = await runVerify(repository, {level: ref.level, signal: context.signal, onEvent: job.onEvent, ...(anchor ? {anchor} : {})});
		await rememberMedium(context, repository, medium);
		try {
			recordVerification(context.state, result);
		} catch {
			// Recorded on the medium already; the local copy is a convenience.
		}

		return {status: result.ok ? 'ok' : 'damage', result};
	});
}
