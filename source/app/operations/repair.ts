import {runRepair, type RepairResult} from '../../core/jobs/repair.js';
import {unprotect} from '../../system/protect.js';
import {protectSealedFiles} from '../../system/generation-protection.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, openMedium, type MediumRef} from './medium-job.js';
import {rememberMedium} from './remember.js';

/**
 * Repair a medium: rebuild damaged index files from the pack trailers, quarantine packs nothing
 * can read, and say which generations lost which files. Protection is lifted only on the files
 * repair moves or removes, and the index it writes is protected like a backup's. `damage` (exit 3)
 * when data was lost, `ok` when everything is whole again.
 */
export type {RepairResult} from '../../core/jobs/repair.js';

export type RepairRequest = MediumRef & {dryRun?: boolean};

export type RepairRunResult = Omit<RepairResult, 'writtenFiles'> & {repository: string; unprotected: number};

export async function repairMedium(context: OperationContext, request: RepairRequest): Promise<JobEnd<RepairRunResult>> {
	return runJob(context, {kind: 'repair', label: await labelOf(request), ...(request.dryRun ? {detail: 'dry run'} : {})}, async job => {
		const {medium, repository} = await openMedium(context, request);
		const result = await runRepair(repository, {
			dryRun: request.dryRun,
			signal: context.signal,
			onEvent: job.onEvent,
			async beforeChange(files) {
				try {
					await unprotect(files);
				} catch (error) {
					// Moving then fails on the immutable file with its own clear message.
					job.warn('unprotect', `Could not lift write protection: ${error instanceof Error ? error.message : String(error)}`);
				}
			},
		});
		let unprotected = 0;
		if (!result.dryRun) {
			const protection = await protectSealedFiles(result.writtenFiles);
			unprotected = protection.failed.length;
			await rememberMedium(context, repository, medium);
		}

		const {writtenFiles: _written, ...rest} = result;
		return {status: result.lostGenerations.length > 0 ? 'damage' : 'ok', result: {...rest, repository: repository.root, unprotected}};
	});
}
