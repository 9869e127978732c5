import {SedaiError} from '../../core/errors.js';
import {readRunStatus, type PlanRun} from '../../settings/run-status.js';
import {installSchedule, type InstallResult} from '../../system/schedule/install-schedule.js';
import {listSchedules, removeSchedule, type Locations, type ScheduleEntry} from '../../system/schedule/list-schedules.js';
import {nextRun} from '../../system/schedule/next-run.js';
import {parseClock} from '../../system/schedule/unit-text.js';
import type {OperationContext} from './context.js';

/**
 * A plan's nightly schedule, for every front end: `sedai schedule` and the console's Backup
 * view install, list and remove through here. Where the units go is the front end's choice
 * (`--unit-dir`, or the demo's own folder, so the demo never touches the real systemd).
 */
export type {Locations as ScheduleLocations} from '../../system/schedule/list-schedules.js';

export type ScheduleRequest = {plan: string; at: string; verifyWeekly: boolean; locations?: Locations};

/** An installed schedule with its next run (ISO): systemd's word when it runs the timer, else from the calendar. */
export type ScheduledRun = ScheduleEntry & {nextRun?: string};

/** What the console shows per plan: its schedule (backup and weekly verify), the next backup and the last run. */
export type PlanSchedule = {plan: string; entries: ScheduledRun[]; nextRun?: string; lastRun?: PlanRun};

export async function scheduleInstall(context: OperationContext, request: ScheduleRequest): Promise<InstallResult> {
	const at = parseClock(request.at);
	if (!at) {
		throw new SedaiError('usage', `"${request.at}" is not a time of day: write it as HH:MM (24 h), e.g. 02:30.`);
	}

	return installSchedule({plan: request.plan, at, verifyWeekly: request.verifyWeekly, settings: context.settings(), ...request.locations});
}

export async function scheduleRemove(_context: OperationContext, request: {plan: string; locations?: Locations}): Promise<string[]> {
	return removeSchedule(request.plan, request.locations);
}

export async function scheduleList(context: OperationContext, locations: Locations = {}): Promise<ScheduledRun[]> {
	const now = context.now?.() ?? new Date();
	return (await listSchedules(locations)).map(entry => {
		const next = entry.next ?? nextRun(entry.when, entry.mechanism, now)?.toISOString();
		return {...entry, ...(next ? {nextRun: next} : {})};
	});
}

/** Every plan of the site with its schedule and the last run the status file holds. */
export async function planSchedules(context: OperationContext, locations: Locations = {}): Promise<PlanSchedule[]> {
	const entries = await scheduleList(context, locations);
	const runs = readRunStatus().plans;
	const plans = [...new Set([...context.settings().plans.map(plan => plan.name), ...entries.map(entry => entry.plan)])];
	return plans.map(plan => {
		const own = entries.filter(entry => entry.plan === plan);
		// The plan's next run is its backup's; the weekly verification keeps its own line.
		const nextRun = own.find(entry => entry.kind === 'backup')?.nextRun;
		const lastRun = runs[plan];
		return {plan, entries: own, ...(nextRun ? {nextRun} : {}), ...(lastRun ? {lastRun} : {})};
	});
}
