import {readRunStatus, type PlanRun} from '../settings/run-status.js';

/** The newest plan run in the status file (the nightly timer's or a console's); nothing when there is none. */
export function newestRun(): {lastRun?: PlanRun} {
	try {
		const runs = Object.values(readRunStatus().plans).sort((a, b) => (a.ended ?? a.time).localeCompare(b.ended ?? b.time));
		return runs.length > 0 ? {lastRun: runs.at(-1)!} : {};
	} catch {
		return {};
	}
}
