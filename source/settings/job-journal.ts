import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {JobKind, Phase, PhaseEvent, ProgressEvent, WarningEvent} from '../core/jobs/events.js';
import {sedaiHome} from './store.js';

/**
 * The job journal: every job (headless or from the TUI) appends its events as JSON lines to
 * `$SEDAI_HOME/jobs/<start-time>-<pid>-<kind>.jsonl`, so `sedai monitor` in another terminal can
 * watch it. First line a `start` record, last line an `end` record; a journal without one whose
 * process is gone was interrupted. Journaling is a convenience: it never fails the job.
 */
/** The engine's jobs and the operations that run them (a drill, protecting a medium). */
export type JournalKind = JobKind | 'drill' | 'protect' | 'init' | 'eject' | 'insert' | 'unlock' | 'key';

/** What a journal takes: engine or operation events (any extra fields are left out). */
export type JournalEvent = Omit<ProgressEvent, 'job'> | Omit<PhaseEvent, 'job'> | Omit<WarningEvent, 'job'>;

export type JournalStart = {
	type: 'start';
	version: 1;
	/** The operation's job id, shared with its events (--json, the TUI). */
	jobId?: string;
	kind: JournalKind;
	label: string;
	repository?: string;
	detail?: string;
	pid: number;
	/** The process's start time in clock ticks (/proc/PID/stat), so a reused pid is not mistaken for it. */
	procStart?: string;
	host: string;
	time: string;
};

export type JournalProgress = Omit<ProgressEvent, 'job'> & {t: string};
/**
 * The process's CPU time in cpuMs (user + system, every thread: the workers and, in the console,
 * the screen) since the journal started. What a job costs the machine, beside its wall time.
 */
export type JournalPhase = {type: 'phase'; t: string; phase: Phase; message: string; cpuMs?: number};
export type JournalWarning = {type: 'warning'; t: string; code: string; message: string; path?: string};
/** A line of the command's own words (e.g. "NAS: backing up to …", the human summary). */
export type JournalNote = {type: 'note'; t: string; message: string};

export type JobResult = {
	ok: boolean;
	/** The operation's end status (ok, failed, damage, omissions, cancelled). */
	status?: string;
	exitCode?: number;
	/** The operation's typed result (see app/operations/*). */
	result?: unknown;
	/** Older journals: the CLI's summary record. */
	summary?: unknown;
	error?: {code: string; message: string};
};

export type JournalEnd = JobResult & {type: 'end'; t: string; durationMs: number; cpuMs?: number; suppressed?: number};

export type JournalRecord = JournalStart | JournalProgress | JournalPhase | JournalWarning | JournalNote | JournalEnd;

export type JobJournal = {
	readonly kind: JournalKind;
	/** The journal file, or undefined when journaling could not start. */
	readonly file: string | undefined;
	event(event: JournalEvent): void;
	note(message: string): void;
	end(result: JobResult): void;
};

export type JournalOptions = {
	/** Default `$SEDAI_HOME/jobs`. */
	directory?: string;
	/** How many journal files to keep, the new one included (default 50). */
	keep?: number;
	/** Least time between two progress records (default 500 ms). */
	progressIntervalMs?: number;
	/** Most warnings and notes written per job; the rest are counted in the end record. */
	maxLogRecords?: number;
	now?: () => Date;
};

export const journalSuffix = '.jsonl';

export function journalDirectory(): string {
	return path.join(sedaiHome(), 'jobs');
}

/** Clock ticks since boot when a process started (Linux), the pid's birth certificate. */
export function processStartTicks(pid: number | 'self'): string | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name may hold spaces and parentheses: count fields after the last ')'.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/** A file name that sorts by start time: 2026-02-01T09-30-00.123Z-4242-backup.jsonl */
function journalName(time: Date, pid: number, kind: JournalKind, attempt: number): string {
	const stamp = time.toISOString().replaceAll(':', '-');
	return `${stamp}-${pid}-${kind}${attempt > 0 ? `-${attempt + 1}` : ''}${journalSuffix}`;
}

/** Delete the oldest journals so that `keep - 1` remain before a new one is added. */
export function rotateJournals(directory: string, keep: number): void {
	const names = fs.readdirSync(directory).filter(name => name.endsWith(journalSuffix)).sort();
	for (const name of names.slice(0, Math.max(0, names.length - (keep - 1)))) {
		try {
			fs.unlinkSync(path.join(directory, name));
		} catch {
			// Someone else rotated it first.
		}
	}
}

const nothing = (): void => undefined;
const inert = (kind: JournalKind): JobJournal => ({kind, file: undefined, event: nothing, note: nothing, end: nothing});

export function startJournal(info: {jobId?: string; kind: JournalKind; label: string; repository?: string; detail?: string}, options: JournalOptions = {}): JobJournal {
	const now = options.now ?? (() => new Date());
	const directory = options.directory ?? journalDirectory();
	const interval = options.progressIntervalMs ?? 500;
	const maxLog = options.maxLogRecords ?? 200;
	const started = now();
	const cpuStart = process.cpuUsage();
	const cpuMs = () => {
		const used = process.cpuUsage(cpuStart);
		return Math.round((used.user + used.system) / 1000);
	};

	let fd: number | undefined;
	let file: string | undefined;
	try {
		fs.mkdirSync(directory, {recursive: true});
		rotateJournals(directory, options.keep ?? 50);
		for (let attempt = 0; fd === undefined; attempt++) {
			file = path.join(directory, journalName(started, process.pid, info.kind, attempt));
			try {
				fd = fs.openSync(file, 'wx');
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 20) {
					throw error;
				}
			}
		}
	} catch {
		return inert(info.kind);
	}

	let pending: JournalProgress | undefined;
	let lastProgress = 0;
	let logged = 0;
	let suppressed = 0;

	const close = (): void => {
		if (fd !== undefined) {
			try {
				fs.closeSync(fd);
			} catch {}

			fd = undefined;
		}
	};

	/** False only when the record cannot be serialized. */
	const write = (record: JournalRecord): boolean => {
		if (fd === undefined) {
			return true;
		}

		let line: string;
		try {
			line = `${JSON.stringify(record)}\n`;
		} catch {
			return false;
		}

		try {
			fs.writeSync(fd, line);
		} catch {
			// A full disk or a removed folder: stop journaling, the job goes on.
			close();
		}

		return true;
	};

	const flush = (): void => {
		if (pending) {
			write(pending);
			pending = undefined;
		}
	};

	const log = (record: JournalWarning | JournalNote): void => {
		flush();
		if (logged >= maxLog) {
			suppressed++;
			return;
		}

		logged++;
		write(record);
	};

	write({
		type: 'start',
		version: 1,
		...(info.jobId ? {jobId: info.jobId} : {}),
		kind: info.kind,
		label: info.label,
		...(info.repository ? {repository: info.repository} : {}),
		...(info.detail ? {detail: info.detail} : {}),
		pid: process.pid,
		...(processStartTicks('self') ? {procStart: processStartTicks('self')} : {}),
		host: os.hostname(),
		time: started.toISOString(),
	});

	return {
		kind: info.kind,
		file,
		event(event) {
			if (fd === undefined) {
				return;
			}

			const t = now().toISOString();
			switch (event.type) {
				case 'progress': {
					const {job: _job, version: _version, jobId: _jobId, kind: _kind, ...rest} = event as ProgressEvent & {version?: number; jobId?: string; kind?: string};
					pending = {...rest, t};
					const time = Date.parse(t);
					if (time - lastProgress >= interval) {
						lastProgress = time;
						flush();
					}

					break;
				}

				case 'phase': {
					flush();
					write({type: 'phase', t, phase: event.phase, message: event.message, cpuMs: cpuMs()});
					break;
				}

				case 'warning': {
					log({type: 'warning', t, code: event.code, message: event.message, ...(event.path ? {path: event.path} : {})});
					break;
				}
			}
		},
		note(message) {
			if (fd !== undefined) {
				log({type: 'note', t: now().toISOString(), message});
			}
		},
		end(result) {
			if (fd === undefined) {
				return;
			}

			flush();
			const ended = now();
			const record: JournalEnd = {type: 'end', t: ended.toISOString(), durationMs: ended.getTime() - started.getTime(), cpuMs: cpuMs(), ...result, ...(suppressed > 0 ? {suppressed} : {})};
			if (!write(record)) {
				// A summary that cannot be serialized: end without it.
				write({type: 'end', t: record.t, durationMs: record.durationMs, ok: result.ok, ...(result.exitCode === undefined ? {} : {exitCode: result.exitCode}), ...(result.error ? {error: result.error} : {})});
			}

			close();
		},
	};
}
