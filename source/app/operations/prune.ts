import {SedaiError} from '../../core/errors.js';
import {runPrune, type PruneResult} from '../../core/jobs/prune.js';
import {validatePolicy} from '../../core/policy/retention.js';
import {retentionOf} from '../../core/policy/media.js';
import type {Retention} from '../../settings/schema.js';
import {unprotect} from '../../system/protect.js';
import {protectSealedFiles} from '../../system/generation-protection.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, openMedium, resolveMedium, type MediumRef} from './medium-job.js';
import {rememberMedium} from './remember.js';

/**
 * Apply retention to a medium: its target's policy (else the site's), with any overrides on
 * top, refused below the guideline's minimum before the medium is touched. Protection is lifted
 * only on the files about to go, and what prune writes is protected like a backup's output.
 */
export type PruneRequest = MediumRef & {
	dryRun?: boolean;
	overrides?: Partial<Retention>;
	/**
	 * The generation ids a preview (a dry run) listed for removal: the prune goes ahead only if it
	 * would remove exactly these, so what was confirmed is what goes.
	 */
	expectRemove?: string[];
};

/** Refuse when the policy now removes other generations than the confirmed preview listed. */
function checkExpected(label: string, expected: string[], decisions: PruneResult['decisions']): void {
	const now = decisions.filter(decision => !decision.keep).map(decision => decision.generation.id).sort();
	const confirmed = [...expected].sort();
	if (now.length !== confirmed.length || now.some((id, index) => id !== confirmed[index])) {
		throw new SedaiError('policy', `What a prune of "${label}" would remove has changed since the preview (${confirmed.length} then, ${now.length} now): nothing was pruned; open the preview again and confirm what it lists now.`);
	}
}

export type PruneDecisionRow = {id: string; shortId: string; seq: number; time: string; action: 'keep' | 'remove'; rules: string[]; reasons: string[]; expires?: string; suspect: boolean};

export type PruneRunResult = Omit<PruneResult, 'decisions' | 'writtenFiles'> & {
	repository: string;
	policy: Retention;
	generations: PruneDecisionRow[];
	/** Files prune wrote that could not be write-protected. */
	unprotected: number;
};

function rowsOf(result: PruneResult): PruneDecisionRow[] {
	return result.decisions.map(decision => ({
		id: decision.generation.id,
		shortId: decision.generation.shortId,
		seq: decision.generation.seq,
		time: decision.generation.time,
		action: decision.keep ? 'keep' : 'remove',
		rules: decision.reasons.map(reason => reason.rule),
		reasons: decision.reasons.map(reason => reason.text),
		...(decision.expires ? {expires: decision.expires} : {}),
		suspect: decision.generation.sentinel?.suspect ?? false,
	}));
}

export async function pruneMedium(context: OperationContext, request: PruneRequest): Promise<JobEnd<PruneRunResult>> {
	return runJob(context, {kind: 'prune', label: await labelOf(request), ...(request.dryRun ? {detail: 'dry run'} : {})}, async job => {
		const settings = context.settings();
		const medium = await resolveMedium(context, request);
		const policy: Retention = {...retentionOf({label: medium.label, lastPath: medium.root}, settings)};
		for (const [key, value] of Object.entries(request.overrides ?? {}) as Array<[keyof Retention, number | undefined]>) {
			if (value !== undefined) {
				policy[key] = value;
			}
		}

		validatePolicy(policy, settings.compliance.minGenerations);
		const {repository} = await openMedium(context, {medium});
		if (request.expectRemove && !request.dryRun) {
			const preview = await runPrune(repository, {policy, minGenerations: settings.compliance.minGenerations, dryRun: true, signal: context.signal});
			checkExpected(medium.label, request.expectRemove, preview.decisions);
		}

		const result = await runPrune(repository, {
			policy,
			minGenerations: settings.compliance.minGenerations,
			dryRun: request.dryRun,
			signal: context.signal,
			onEvent: job.onEvent,
			async beforeDelete(files) {
				try {
					await unprotect(files);
				} catch (error) {
					// Deleting then fails on the immutable file with its own clear message.
					job.warn('unprotect', `Could not lift write protection: ${error instanceof Error ? error.message : String(error)}`);
				}
			},
		});
		let unprotected = 0;
		if (!result.dryRun) {
			const protection = await protectSealedFiles(result.writtenFiles);
			unprotected = protection.failed.length;
			if (unprotected > 0) {
				job.warn('unprotected', `${unprotected} file(s) prune wrote could not be write-protected${protection.note ? ` (${protection.note})` : ''}.`);
			}

			await rememberMedium(context, repository, medium);
		}

		const {decisions: _decisions, writtenFiles: _written, ...rest} = result;
		return {status: 'ok', result: {...rest, repository: repository.root, policy, generations: rowsOf(result), unprotected}};
	});
}
