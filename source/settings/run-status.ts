import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {sedaiHome} from './store.js';

/**
 * The status file ($SEDAI_HOME/status.json): the last run of each plan, written after every
 * plan run, so `sedai status` and monitoring know the nights' results even after the job
 * journals rotated. Like the journal, it never fails the run it describes.
 */
export type PlanRun = {
	site: string;
	plan: string;
	ok: boolean;
	/** When the run started (ISO). */
	time: string;
	/** When it ended (ISO). */
	ended?: string;
	/** Targets that sealed a generation. */
	sealed: string[];
	/** Targets not connected (a rotated cartridge: not a failure). */
	offline: string[];
	/** One line per failure: "NAS: …", or the run's own error. */
	failures: string[];
	/** The sentinel flagged a sealed generation as a possible ransomware attack. */
	suspect: boolean;
	/** Items the sources held that could not be read, and the first of them: not in the generation. */
	omitted?: number;
	missing?: string[];
	host: string;
};

export type StatusFile = {version: 1; plans: Record<string, PlanRun>};

export function statusFilePath(directory = sedaiHome()): string {
	return path.join(directory, 'status.json');
}

export function readRunStatus(directory?: string): StatusFile {
	try {
		const data = JSON.parse(fs.readFileSync(statusFilePath(directory), 'utf8')) as Partial<StatusFile>;
		return {version: 1, plans: data.plans && typeof data.plans === 'object' ? data.plans : {}};
	} catch {
		return {version: 1, plans: {}};
	}
}

/** Record a plan run (atomically: a reader never sees half a file). False when it could not be written. */
export function writeRunStatus(run: PlanRun, directory?: string): boolean {
	const file = statusFilePath(directory);
	const status = readRunStatus(directory);
	status.plans[run.plan] = run;
	const temporary = `${file}.${process.pid}.tmp`;
	try {
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(temporary, `${JSON.stringify(status, undefined, '\t')}\n`);
		fs.renameSync(temporary, file);
		return true;
	} catch {
		fs.rmSync(temporary, {force: true});
		return false;
	}
}

type PlanSummary = {plan?: unknown; time?: unknown; sealed?: unknown; offline?: unknown; failed?: unknown; suspect?: unknown; targets?: unknown; omitted?: unknown; missing?: unknown};

const names = (value: unknown): string[] => Array.isArray(value) ? value.filter(item => typeof item === 'string') : [];

/** A PlanRun from `sedai backup --plan`'s summary (what its journal's end record holds). */
export function planRunFromSummary(site: string, plan: string, summary: unknown, result: {ok: boolean; ended?: string; error?: string}): PlanRun {
	const data = (summary && typeof summary === 'object' ? summary : {}) as PlanSummary;
	const targets = Array.isArray(data.targets) ? data.targets as Array<{name?: unknown; status?: unknown; message?: unknown}> : [];
	const failures = targets.filter(target => target.status === 'failed' || target.status === 'error').map(target => `${String(target.name)}: ${typeof target.message === 'string' ? target.message : 'failed'}`);
	if (failures.length === 0 && names(data.failed).length > 0) {
		failures.push(...names(data.failed).map(name => `${name}: failed`));
	}

	// The rotation's due cartridge left out too long: the alert names it and how long.
	const overdue = (data as {rotation?: {overdue?: unknown}}).rotation?.overdue;
	if (typeof overdue === 'string') {
		failures.push(overdue);
	}

	const omitted = typeof data.omitted === 'number' ? data.omitted : 0;
	const missing = names(data.missing);
	if (omitted > 0) {
		const more = omitted - Math.min(missing.length, 5);
		failures.push(`completed with omissions: ${omitted} item(s) could not be read and are NOT in the generation${missing.length > 0 ? `: ${missing.slice(0, 5).join(', ')}${more > 0 ? ` and ${more} more` : ''}` : ''}`);
	}

	if (!result.ok && failures.length === 0) {
		failures.push(result.error ?? (names(data.sealed).length === 0 ? 'no target sealed a generation' : 'the run failed'));
	}

	return {
		site,
		plan,
		ok: result.ok,
		time: typeof data.time === 'string' ? data.time : new Date().toISOString(),
		...(result.ended ? {ended: result.ended} : {}),
		sealed: names(data.sealed),
		offline: names(data.offline),
		failures,
		suspect: data.suspect === true,
		...(omitted > 0 ? {omitted, missing} : {}),
		host: os.hostname(),
	};
}
