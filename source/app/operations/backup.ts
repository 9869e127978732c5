import {runBackupToMany, startScan, type BackupResult as EngineResult, type BackupStream, type Scan} from '../../core/jobs/backup.js';
import {SedaiError, isSedaiError} from '../../core/errors.js';
import {sentinelFor} from '../../core/policy/sentinel.js';
import {gatherMedia} from '../../core/policy/media.js';
import {rotationStatus} from '../../core/policy/rotation.js';
import type {Message} from '../../core/message.js';
import type {Repository} from '../../core/repository/repository.js';
import {defaultSettings} from '../../settings/schema.js';
import {renderMessage} from '../../text/messages/render.js';
import {assertWritableMedium} from '../../system/write-protect.js';
import {protectNewGeneration} from '../../system/seal-protection.js';
import {pgDumpStream} from '../../system/postgres/dump-stream.js';
import type {OperationContext} from './context.js';
import type {EndStatus} from './events.js';
import {runJob, type JobEnd, type JobHandle, type Outcome} from './job.js';
import {recordPlanRun} from './plan-run-end.js';
import type {Medium} from './locate.js';
import {planBackup, type BackupPlan, type BackupRequest, type Unreachable} from './backup-targets.js';
import {rememberMedium} from './remember.js';
import {checkRotation, type RotationCheck} from './rotation-check.js';
import {runAfter, runBefore} from './plan-hooks.js';
import {labelOf} from './medium-job.js';

/**
 * Back up: a plan, some targets, or one repository. The whole procedure in one place for every
 * front end: locate each medium by repository id, refuse a write-protected one, open it (one
 * passphrase order), back up with the site's ransomware sentinel, seal, protect what was written
 * (read-only, immutable where possible), remember it locally. An absent cartridge is a skip (with
 * rotation two of three are meant to be on the shelf); a target that fails does not stop the others.
 */
export type {BackupRequest} from './backup-targets.js';

export type SealedGeneration = {
	id: string;
	shortId: string;
	seq: number;
	time: string;
	files: number;
	dirs: number;
	bytes: number;
	newBytes: number;
	storedBytes: number;
	durationMs: number;
};

export type TargetOutcome = {
	name: string;
	kind: Medium['kind'];
	status: 'sealed' | 'offline' | 'failed' | 'cancelled';
	label?: string;
	repositoryId?: string;
	repository?: string;
	generation?: SealedGeneration;
	changedFiles?: number;
	unchangedFiles?: number;
	warnings?: number;
	suspect?: boolean;
	suspectReasons?: string[];
	protection?: string;
	protectionNote?: string;
	message?: string;
	errorCode?: string;
};

export type BackupRunResult = {
	plan?: string;
	time: string;
	sources: string[];
	targets: TargetOutcome[];
	sealed: string[];
	offline: string[];
	failed: string[];
	suspect: boolean;
	/** Files the sources held that could not be read (permissions, too long …): not in the generation. */
	omitted: number;
	/** Which they were (the first 100): a run with omissions names what is missing. */
	missing: string[];
	/** `advice` in English (for --json), `adviceMessages` for front ends to say in their language. */
	rotation?: {due?: string; lastUsed?: string; mustGoOffline: string[]; advice: string[]; adviceMessages: Message[]; overdue?: string};
};

const omissionCodes = new Set(['unreadable', 'source-unreadable', 'source-missing']);

function sealedOf(result: EngineResult): SealedGeneration {
	const {generation} = result;
	const {totals} = generation;
	return {id: generation.id, shortId: generation.shortId, seq: generation.seq, time: generation.time, files: totals.files, dirs: totals.dirs, bytes: totals.bytes, newBytes: totals.newBytes, storedBytes: totals.storedBytes, durationMs: totals.durationMs};
}

function unreachableOutcome(item: Unreachable, rotation: RotationCheck): TargetOutcome {
	// A rotation cartridge on the shelf is where it should be: a skip.
	const offline = rotation.members.has(item.name) ? `skipped: ${item.name} offline (rotation)` : item.offline ?? 'not connected';
	return item.error
		? {name: item.name, kind: item.kind, status: 'failed', message: item.error.message, errorCode: item.error.code}
		: {name: item.name, kind: item.kind, status: 'offline', message: offline, ...(item.repositoryId ? {repositoryId: item.repositoryId} : {})};
}

/** The plan's databases, each piped from pg_dump into the generation as databases/<name>.pgdump. */
function dumpStreams(plan: BackupPlan): BackupStream[] {
	return (plan.dumps ?? []).map(dump => ({
		path: `databases/${dump.database.replaceAll('/', '_')}.pgdump`,
		open: signal => pgDumpStream(dump, signal),
	}));
}

type Ready = {medium: Medium; repository: Repository};

function failedOutcome(job: JobHandle, outcome: TargetOutcome, error: unknown, aborted: boolean): SedaiError {
	const failure = isSedaiError(error) ? error : new SedaiError('io', error instanceof Error ? error.message : String(error));
	outcome.status = aborted || failure.code === 'cancelled' ? 'cancelled' : 'failed';
	outcome.message = failure.message;
	outcome.errorCode = failure.code;
	if (outcome.status === 'failed') {
		job.warn(failure.code, `${outcome.name}: ${failure.message}`, {target: outcome.name});
	}

	return failure;
}

function outcomeFor(medium: Medium): TargetOutcome {
	return {name: medium.target ?? medium.label, kind: medium.kind, status: 'failed', label: medium.label, repositoryId: medium.repositoryId, repository: medium.root};
}

/** Open each medium and refuse a write-protected one before anything is read. */
async function prepare(context: OperationContext, job: JobHandle, media: Medium[]): Promise<{ready: Ready[]; refused: Array<{outcome: TargetOutcome; failure: SedaiError}>}> {
	const ready: Ready[] = [];
	const refused: Array<{outcome: TargetOutcome; failure: SedaiError}> = [];
	for (const medium of media) {
		try {
			const repository = await context.media.openAt(medium.root, medium.repositoryId);
			await assertWritableMedium(repository.root, repository.label);
			job.phase('open', `Backing up to "${repository.label}" at ${repository.root}`, medium.target ?? medium.label);
			ready.push({medium, repository});
		} catch (error) {
			const outcome = outcomeFor(medium);
			refused.push({outcome, failure: failedOutcome(job, outcome, error, context.signal?.aborted === true)});
		}
	}

	return {ready, refused};
}

/** After the engine sealed: remember, protect, and say SUSPECT loudly. */
async function sealed(context: OperationContext, job: JobHandle, {medium, repository}: Ready, result: EngineResult): Promise<TargetOutcome> {
	const outcome = outcomeFor(medium);
	const {generation} = result;
	// Remember first: the protection outcome is recorded on the medium's local record.
	await rememberMedium(context, repository, medium);
	const protection = await protectNewGeneration(context.state, repository.id, generation.id, result.writtenFiles);
	Object.assign(outcome, {
		status: 'sealed',
		generation: sealedOf(result),
		changedFiles: result.changedFiles,
		unchangedFiles: result.reusedFiles,
		warnings: result.warnings,
		suspect: generation.sentinel?.suspect ?? false,
		...(generation.sentinel?.suspect ? {suspectReasons: generation.sentinel.reasons} : {}),
		protection: protection.protection,
		...(protection.note ? {protectionNote: protection.note} : {}),
	});
	if (generation.sentinel?.suspect) {
		job.warn('suspect', `SUSPECT: generation ${generation.shortId} (#${generation.seq}) in "${repository.label}" looks like a ransomware attack; it is sealed and kept, and retention keeps the clean generations before it. Check the clinic's files before trusting it. ${generation.sentinel.reasons.join(' ')}`, {target: outcome.name});
	}

	return outcome;
}

/** Every ready medium in one engine run: the sources are read once for all of them. */
async function backUpMedia(context: OperationContext, job: JobHandle, plan: BackupPlan, {ready, scan}: {ready: Ready[]; scan: Scan}, now: Date, request: BackupRequest): Promise<Array<{outcome: TargetOutcome; failure?: SedaiError}>> {
	if (ready.length === 0) {
		scan.cancel();
		await scan.result.catch(() => undefined);
		return [];
	}

	const thresholds = plan.settings?.sentinel ?? defaultSettings().sentinel;
	const results = await runBackupToMany(ready.map(item => item.repository), {
		sources: plan.sources,
		tags: plan.tags,
		signal: context.signal,
		onEvent: job.onEvent,
		now,
		sentinel: sentinelFor(thresholds),
		streams: dumpStreams(plan),
		scan,
		...(request.workers ? {workers: request.workers} : {}),
	});
	const done: Array<{outcome: TargetOutcome; failure?: SedaiError}> = [];
	for (const [index, item] of ready.entries()) {
		const {result, error} = results[index];
		if (result) {
			done.push({outcome: await sealed(context, job, item, result)});
		} else {
			const outcome = outcomeFor(item.medium);
			done.push({outcome, failure: failedOutcome(job, outcome, error, context.signal?.aborted === true)});
		}
	}

	return done;
}

async function rotationOf(context: OperationContext, plan: BackupPlan, check: RotationCheck): Promise<BackupRunResult['rotation']> {
	if (!plan.settings || plan.settings.rotation.length === 0) {
		return undefined;
	}

	const status = rotationStatus(plan.settings.rotation, plan.settings.targets, await gatherMedia(context.state.cartridges()));
	return {...(status.due ? {due: status.due} : {}), ...(status.lastUsed ? {lastUsed: status.lastUsed} : {}), mustGoOffline: status.mustGoOffline, advice: status.advice.map(line => renderMessage(line, 'en')), adviceMessages: status.advice, ...(check.overdue ? {overdue: check.overdue} : {})};
}

function statusOf(result: BackupRunResult): EndStatus {
	if (result.targets.some(target => target.status === 'cancelled')) {
		return 'cancelled';
	}

	if (result.sealed.length === 0 || result.failed.length > 0 || result.rotation?.overdue) {
		return 'failed';
	}

	return result.omitted > 0 ? 'omissions' : 'ok';
}

export async function backUp(context: OperationContext, request: BackupRequest): Promise<JobEnd<BackupRunResult>> {
	const label = request.plan ? `plan ${request.plan}` : request.media?.map(medium => medium.label).join(', ') ?? request.targets?.join(', ') ?? (request.repo ? await labelOf({repo: request.repo}) : '?');
	return runJob(context, {kind: 'backup', label, ...(request.repo ? {repository: request.repo} : {})}, async job => {
		if (!request.plan) {
			return backUpPlanned(context, job, request);
		}

		try {
			const outcome = await backUpPlanned(context, job, request);
			await recordPlanRun(context, job, request.plan, {result: outcome.result, ok: outcome.status === 'ok'});
			return outcome;
		} catch (error) {
			await recordPlanRun(context, job, request.plan, {ok: false, error: error instanceof Error ? error.message : String(error)});
			throw error;
		}
	});
}

async function backUpPlanned(context: OperationContext, job: JobHandle, request: BackupRequest): Promise<Outcome<BackupRunResult>> {
	const plan = await planBackup(context, request);
	try {
		await runBefore(plan.before ?? [], context.signal);
		return await backUpPlan(context, job, request, plan);
	} finally {
		await runAfter(plan.after ?? [], job);
	}
}

async function backUpPlan(context: OperationContext, job: JobHandle, request: BackupRequest, plan: BackupPlan): Promise<Outcome<BackupRunResult>> {
	const now = request.now ?? context.now?.() ?? new Date();
	const rotation = await checkRotation(context, plan, now);
	if (rotation.overdue) {
		job.warn('rotation-overdue', rotation.overdue);
	}

	let omitted = 0;
	const missing: string[] = [];
	const counting: JobHandle = {...job, onEvent(event) {
		if (event.type === 'warning' && omissionCodes.has(event.code)) {
			omitted++;
			if (event.path !== undefined && missing.length < 100) {
				missing.push(event.path);
			}
		}

		job.onEvent(event);
	}};
	const targets: TargetOutcome[] = plan.unreachable.map(item => unreachableOutcome(item, rotation));
	for (const outcome of targets) {
		if (outcome.status === 'failed') {
			job.warn(outcome.errorCode ?? 'target-error', `${outcome.name}: ${outcome.message ?? 'error'}`, {target: outcome.name});
		}

		job.emit({type: 'target', target: outcome});
	}

	// The sources are walked while the media open: the walk needs no key, the key derivation no main thread.
	const scan = startScan(plan.sources, plan.media.map(medium => medium.root), context.signal);
	const {ready, refused} = await prepare(context, counting, plan.media);
	const finished = [...refused, ...await backUpMedia(context, counting, plan, {ready, scan}, now, request)];
	for (const {outcome} of finished) {
		targets.push(outcome);
		job.emit({type: 'target', target: outcome});
	}

	const failure = finished.find(item => item.failure)?.failure;
	const result = await resultOf(context, plan, targets, {now, omitted, missing, rotation});
	if (failure && result.targets.length === 1 && !plan.plan) {
		// One repository and it failed or was cancelled: that is the job's error, not a partial result.
		throw failure;
	}

	return {status: statusOf(result), result};
}

async function resultOf(context: OperationContext, plan: BackupPlan, targets: TargetOutcome[], {now, omitted, missing, rotation}: {now: Date; omitted: number; missing: string[]; rotation: RotationCheck}): Promise<BackupRunResult> {
	// Plans list targets in their own order; keep it.
	const order = new Map((plan.settings?.plans.find(item => item.name === plan.plan)?.targets ?? []).map((name, index) => [name, index]));
	targets.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
	const pick = (status: TargetOutcome['status']) => targets.filter(target => target.status === status).map(target => target.name);
	return {
		...(plan.plan ? {plan: plan.plan} : {}),
		time: now.toISOString(),
		sources: plan.sources,
		targets,
		sealed: pick('sealed'),
		offline: pick('offline'),
		failed: pick('failed'),
		suspect: targets.some(target => target.suspect),
		omitted,
		missing,
		...(plan.plan ? {rotation: await rotationOf(context, plan, rotation)} : {}),
	};
}
