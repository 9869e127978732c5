import path from 'node:path';
import {runRestore, type RestoreProblem, type RestoreResult} from '../../core/jobs/restore.js';
import {SedaiError} from '../../core/errors.js';
import {recordDrill} from '../../settings/remember.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, openMedium, type MediumRef} from './medium-job.js';
import {scratchFolder} from './scratch.js';

/**
 * Restore a generation, then verify every restored byte. A test restore (no `into`) goes to a
 * fresh folder under the site's scratch folder and is recorded as a drill; a real restore goes
 * where the technician says.
 */
export type RestoreRequest = MediumRef & {
	generation: string;
	/** Where to restore; absent: a test restore into the site's scratch folder. */
	into?: string;
	include?: string[];
	force?: boolean;
};

export type RestoreRunResult = {
	label: string;
	repositoryId: string;
	generation: {id: string; shortId: string; seq: number; time: string};
	into: string;
	test: boolean;
	files: number;
	dirs: number;
	symlinks: number;
	bytes: number;
	restoreMs: number;
	verifyMs: number;
	verified: boolean;
	mismatches: RestoreProblem[];
	refused: RestoreProblem[];
	warnings: number;
	include?: string[];
};

function summarize(label: string, repositoryId: string, result: RestoreResult, test: boolean, include?: string[]): RestoreRunResult {
	const {generation} = result;
	return {
		label,
		repositoryId,
		generation: {id: generation.id, shortId: generation.shortId, seq: generation.seq, time: generation.time},
		into: result.into,
		test,
		files: result.files,
		dirs: result.dirs,
		symlinks: result.symlinks,
		bytes: result.bytes,
		restoreMs: result.restoreMs,
		verifyMs: result.verifyMs,
		verified: result.verified,
		mismatches: result.mismatches,
		refused: result.refused,
		warnings: result.warnings,
		...(include?.length ? {include} : {}),
	};
}

export async function restoreGeneration(context: OperationContext, request: RestoreRequest): Promise<JobEnd<RestoreRunResult>> {
	const detail = [request.generation, request.include?.length ? request.include.join(', ') : undefined, request.into ? `into ${request.into}` : undefined].filter(Boolean).join(' ');
	return runJob(context, {kind: 'restore', label: await labelOf(request), detail}, async job => {
		const {repository} = await openMedium(context, request);
		const test = request.into === undefined;
		let {into} = request;
		if (test) {
			const {scratch} = context.settings();
			if (!path.isAbsolute(scratch)) {
				throw new SedaiError('bad-config', `The scratch folder for test restores must be an absolute path, not "${scratch}": set it in Settings.`);
			}

			into = scratchFolder(scratch, repository.label, context.now?.() ?? new Date());
		}

		const result = await runRestore(repository, {generation: request.generation, into: into!, ...(request.include?.length ? {include: request.include} : {}), ...(request.force ? {force: true} : {}), signal: context.signal, onEvent: job.onEvent});
		if (test) {
			try {
				recordDrill(context.state, repository, result);
			} catch {
				// A drill record is bookkeeping; the restore itself stands.
			}
		}

		const summary = summarize(repository.label, repository.id, result, test, request.include);
		const ok = result.verified && result.mismatches.length === 0 && result.refused.length === 0;
		return {status: ok ? 'ok' : 'damage', result: summary};
	});
}
