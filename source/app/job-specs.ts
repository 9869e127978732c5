import type {VerifyResult} from '../core/jobs/verify.js';
import {formatBytes, formatDuration} from '../text/format.js';
import {SedaiError} from '../core/errors.js';
import {backUp, type BackupRunResult} from './operations/backup.js';
import {verifyMedium, verifyRequest, type VerifyMode} from './operations/verify.js';
import {runDrill, type DrillRequest, type DrillRunResult} from './operations/drill.js';
import {restoreGeneration, type RestoreRunResult} from './operations/restore.js';
import type {Medium} from './operations/locate.js';
import type {JobEnd} from './operations/job.js';
import type {JobOutcome, JobSpec} from './job-queue.js';
import type {Session} from './session.js';

/**
 * The jobs a technician starts from the TUI: each is one operation (the same the CLI runs), and
 * the queue line's outcome is read from the operation's typed result.
 */
export type Message = JobOutcome['message'];

export function outcomeOf<R>(end: JobEnd<R>, message: (result: R) => Message): JobOutcome {
	if (end.status === 'cancelled') {
		// A cancel is a normal end: the queue shows the job as cancelled, not as a problem.
		throw end.failure ?? new SedaiError('cancelled', 'The job was cancelled: nothing was sealed, and earlier generations are untouched.');
	}

	if (end.result === undefined) {
		// Failed or cancelled before a result: the queue reports the error.
		throw end.failure ?? new Error(end.error?.message ?? 'failed');
	}

	return {ok: end.status === 'ok', status: end.status, data: end.result, message: message(end.result)};
}

function backupMessage(result: BackupRunResult): Message {
	const sealed = result.targets.filter(target => target.status === 'sealed');
	if (sealed.length === 1 && result.targets.length === 1) {
		const [target] = sealed;
		const generation = target.generation!;
		return {key: target.suspect ? 'log.backupSuspect' : 'log.backupDone', params: {label: target.label ?? target.name, seq: generation.seq, files: generation.files, bytes: formatBytes(generation.bytes), new: formatBytes(generation.newBytes), time: formatDuration(generation.durationMs)}};
	}

	return {key: result.suspect ? 'log.backupManySuspect' : 'log.backupMany', params: {sealed: result.sealed.join(', ') || '-', count: sealed.length, total: result.targets.length, failed: result.failed.join(', '), offline: result.offline.join(', ')}};
}

export function backupJob(session: Session, media: Medium[], sources: string[]): JobSpec {
	return {
		kind: 'backup',
		label: media.map(medium => medium.label).join(', '),
		async run(context) {
			const end = await backUp(session.context(context), {media, sources});
			for (const medium of media) {
				session.forgetRemembered(medium.repositoryId);
			}

			return outcomeOf(end, backupMessage);
		},
	};
}

export function drillJob(session: Session, request: DrillRequest): JobSpec {
	return {
		kind: 'drill',
		label: request.medium?.label ?? '?',
		async run(context) {
			const end = await runDrill(session.context(context), request);
			return outcomeOf(end, ({report}: DrillRunResult): Message => report.verdict.passed
				? {key: 'log.drillOk', params: {label: report.medium.label, seq: report.generation.seq, rto: formatDuration(report.totalMs)}}
				: {key: 'log.drillBad', params: {label: report.medium.label, seq: report.generation.seq, reasons: report.verdict.reasons.map(reason => reason.code).join(', ')}});
		},
	};
}

export function verifyJob(session: Session, medium: Medium, level: VerifyMode): JobSpec {
	return {
		kind: 'verify',
		label: medium.label,
		detail: level,
		async run(context) {
			const end = await verifyMedium(session.context(context), {medium, ...verifyRequest(level)});
			return outcomeOf(end, (result: VerifyResult): Message => {
				const damagedFiles = result.damagedGenerations.reduce((sum, generation) => sum + generation.files.length, 0);
				return result.ok
					? {key: 'log.verifyOk', params: {label: result.label, level, generations: result.generations, time: formatDuration(result.durationMs)}}
					: {key: 'log.verifyBad', params: {label: result.label, level, problems: result.problems.length, files: damagedFiles}};
			});
		},
	};
}

export function restoreJob(session: Session, medium: Medium, generation: {id: string; seq: number}, include?: string[]): JobSpec {
	return {
		kind: 'restore',
		label: medium.label,
		detail: `#${generation.seq}${include?.length ? ` ${include.join(', ')}` : ''}`,
		async run(context) {
			const end = await restoreGeneration(session.context(context), {medium, generation: generation.id, ...(include?.length ? {include} : {})});
			return outcomeOf(end, (result: RestoreRunResult): Message => end.status === 'ok'
				? {key: 'log.restoreOk', params: {label: result.label, seq: result.generation.seq, files: result.files, rto: formatDuration(result.restoreMs)}}
				: {key: 'log.restoreBad', params: {label: result.label, seq: result.generation.seq, mismatches: result.mismatches.length, refused: result.refused.length}});
		},
	};
}
