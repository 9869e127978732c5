import {JournalReader, type JobTrack} from './job-journal-reader.js';
import {journalDirectory} from './job-journal.js';
import {planRunFromSummary, readRunStatus, type PlanRun} from './run-status.js';

/**
 * The last run of each plan, from the job journals and the status file (whichever is newer:
 * journals rotate, the status file keeps one line per plan forever), plus the last backup of
 * any kind. What `sedai status` judges.
 */
/** `omissions`: sealed, but without items it could not read. */
export type RunState = 'done' | 'failed' | 'omissions' | 'running' | 'interrupted' | 'cancelled';

export type LastRun = PlanRun & {state: RunState};

export type LastRuns = {plans: LastRun[]; lastBackup?: {label: string; state: RunState; time: string; ended?: string}};

function planOf(track: JobTrack): string | undefined {
	return track.start.kind === 'backup' && track.start.label.startsWith('plan ') ? track.start.label.slice(5) : undefined;
}

function fromTrack(site: string, plan: string, track: JobTrack): LastRun {
	const {end} = track;
	const state: RunState = end?.status === 'omissions' ? 'omissions' : track.status;
	const error = end?.error?.message ?? (state === 'interrupted' ? 'the run was interrupted (killed, power cut or crash) before it ended' : undefined);
	const run = planRunFromSummary(site, plan, end?.result ?? end?.summary, {ok: state === 'done' || state === 'running', ...(end ? {ended: end.t} : {}), ...(error ? {error} : {})});
	return {...run, time: track.start.time, host: track.start.host, state};
}

const started = (run: {time: string}): number => Date.parse(run.time) || 0;

function stateOf(run: PlanRun): RunState {
	if (run.ok) {
		return 'done';
	}

	// Sealed everywhere it should, only short of what it could not read.
	return (run.omitted ?? 0) > 0 && run.failures.length === 1 ? 'omissions' : 'failed';
}

export function lastRuns(site: string, options: {journals?: string; home?: string} = {}): LastRuns {
	const tracks = new JournalReader(options.journals ?? journalDirectory()).poll();
	const plans = new Map<string, LastRun>();
	for (const [plan, run] of Object.entries(readRunStatus(options.home).plans)) {
		plans.set(plan, {...run, state: stateOf(run)});
	}

	for (const track of tracks) {
		const plan = planOf(track);
		const known = plan === undefined ? undefined : plans.get(plan);
		if (plan !== undefined && (!known || started(track.start) >= started(known))) {
			plans.set(plan, fromTrack(site, plan, track));
		}
	}

	const backup = tracks.findLast(track => track.start.kind === 'backup');
	return {
		plans: [...plans.values()].sort((a, b) => a.plan.localeCompare(b.plan)),
		...(backup ? {lastBackup: {label: backup.start.label, state: backup.status, time: backup.start.time, ...(backup.end ? {ended: backup.end.t} : {})}} : {})};
}
