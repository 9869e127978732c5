import {runBackup} from '../core/jobs/backup.js';
import {runVerify, type VerifyLevel, type VerifyResult} from '../core/jobs/verify.js';
import {runRestore, type RestoreProblem} from '../core/jobs/restore.js';
import {recordDrill, recordVerification, rememberRepository} from '../settings/remember.js';
import {formatBytes, formatDuration} from '../text/format.js';
import {type TargetStatus, scratchFolder} from './catalog.js';
import type {JobOutcome, JobSpec} from './job-queue.js';
import type {Session} from './session.js';

/** The three jobs a technician starts from the TUI, each recording its outcome locally. */
export type BackupSummary = {
	label: string;
	seq: number;
	shortId: string;
	files: number;
	bytes: number;
	newBytes: number;
	storedBytes: number;
	durationMs: number;
	changedFiles: number;
	warnings: number;
	suspect: boolean;
};

export type RestoreSummary = {
	label: string;
	seq: number;
	into: string;
	files: number;
	bytes: number;
	restoreMs: number;
	verifyMs: number;
	verified: boolean;
	mismatches: RestoreProblem[];
	refused: RestoreProblem[];
	include?: string[];
};

export function backupJob(session: Session, target: TargetStatus, sources: string[]): JobSpec {
	return {
		kind: 'backup',
		label: target.label,
		async run({signal, onEvent}): Promise<JobOutcome> {
			const repository = await session.open(target);
			const result = await runBackup(repository, {sources, signal, onEvent});
			await rememberRepository(session.state, repository, {removable: target.kind === 'cartridge'}).catch(() => undefined);
			session.forgetRemembered(repository.id);
			const {generation} = result;
			const summary: BackupSummary = {
				label: repository.label,
				seq: generation.seq,
				shortId: generation.shortId,
				files: generation.totals.files,
				bytes: generation.totals.bytes,
				newBytes: generation.totals.newBytes,
				storedBytes: generation.totals.storedBytes,
				durationMs: generation.totals.durationMs,
				changedFiles: result.changedFiles,
				warnings: result.warnings,
				suspect: generation.sentinel?.suspect ?? false,
			};
			return {
				ok: true,
				data: summary,
				message: {key: summary.suspect ? 'log.backupSuspect' : 'log.backupDone', params: {label: summary.label, seq: summary.seq, files: summary.files, bytes: formatBytes(summary.bytes), new: formatBytes(summary.newBytes), time: formatDuration(summary.durationMs)}},
			};
		},
	};
}

export function verifyJob(session: Session, target: TargetStatus, level: VerifyLevel): JobSpec {
	return {
		kind: 'verify',
		label: target.label,
		detail: level,
		async run({signal, onEvent}): Promise<JobOutcome> {
			const repository = await session.open(target);
			const result: VerifyResult = await runVerify(repository, {level, signal, onEvent});
			try {
				recordVerification(session.state, result);
			} catch {
				// Bookkeeping only: the verification result stands.
			}

			const damagedFiles = result.damagedGenerations.reduce((sum, generation) => sum + generation.files.length, 0);
			const message: JobOutcome['message'] = result.ok
				? {key: 'log.verifyOk', params: {label: result.label, level, generations: result.generations, time: formatDuration(result.durationMs)}}
				: {key: 'log.verifyBad', params: {label: result.label, level, problems: result.problems.length, files: damagedFiles}};
			return {ok: result.ok, data: result, message};
		},
	};
}

export function restoreJob(session: Session, target: TargetStatus, generation: {id: string; seq: number}, include?: string[]): JobSpec {
	return {
		kind: 'restore',
		label: target.label,
		detail: `#${generation.seq}${include?.length ? ` ${include.join(', ')}` : ''}`,
		async run({signal, onEvent}): Promise<JobOutcome> {
			const repository = await session.open(target);
			const into = scratchFolder(session.snapshot.settings, repository.label);
			const result = await runRestore(repository, {generation: generation.id, into, ...(include?.length ? {include} : {}), signal, onEvent});
			try {
				recordDrill(session.state, repository, result);
			} catch {
				// Bookkeeping only.
			}

			const summary: RestoreSummary = {
				label: repository.label,
				seq: result.generation.seq,
				into: result.into,
				files: result.files,
				bytes: result.bytes,
				restoreMs: result.restoreMs,
				verifyMs: result.verifyMs,
				verified: result.verified,
				mismatches: result.mismatches,
				refused: result.refused,
				...(include?.length ? {include} : {}),
			};
			const ok = result.verified && result.mismatches.length === 0 && result.refused.length === 0;
			const message: JobOutcome['message'] = ok
				? {key: 'log.restoreOk', params: {label: summary.label, seq: summary.seq, files: summary.files, rto: formatDuration(summary.restoreMs)}}
				: {key: 'log.restoreBad', params: {label: summary.label, seq: summary.seq, mismatches: summary.mismatches.length, refused: summary.refused.length}};
			return {ok, data: summary, message};
		},
	};
}
