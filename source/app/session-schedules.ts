import path from 'node:path';
import type {ActivityLog} from './activity-log.js';
import type {OperationContext} from './operations/context.js';
import {planSchedules, scheduleInstall, scheduleRemove, type PlanSchedule, type ScheduleLocations} from './operations/schedule.js';

/**
 * The session's view of the nightly schedules: install, remove and read them again, logging what
 * happened. Reads may overlap (an install while the poll reads): the newest read wins.
 */
export class SessionSchedules {
	private reads = 0;
	private shown = 0;

	constructor(
		private readonly context: () => OperationContext,
		private readonly log: ActivityLog,
		private readonly locations: ScheduleLocations,
		/** What is on screen now: kept when a read fails or is overtaken. */
		private readonly current: () => PlanSchedule[],
	) {}

	/** Install (or replace) a plan's nightly schedule. */
	async install(plan: string, at: string, verifyWeekly: boolean): Promise<void> {
		const result = await scheduleInstall(this.context(), {plan, at, verifyWeekly, locations: this.locations});
		for (const note of result.notes) {
			this.log.add('warn', {text: note});
		}

		const key = {systemd: 'log.scheduledSystemd', cron: 'log.scheduledCron', 'unit-files': 'log.scheduledFiles'}[result.mechanism];
		this.log.add('ok', {key, params: {plan, at: result.at, dir: path.dirname(result.files[0] ?? '')}});
	}

	async remove(plan: string): Promise<void> {
		await scheduleRemove(this.context(), {plan, locations: this.locations});
		this.log.add('ok', {key: 'log.unscheduled', params: {plan}});
	}

	/** The schedules as of now; a read overtaken by a newer one (an install meanwhile) keeps the newer. */
	async now(): Promise<PlanSchedule[]> {
		const read = ++this.reads;
		try {
			const schedules = await planSchedules(this.context(), this.locations);
			if (read < this.shown) {
				return this.current();
			}

			this.shown = read;
			return schedules;
		} catch (error) {
			this.log.add('warn', {text: error instanceof Error ? error.message : String(error)});
			return this.current();
		}
	}
}
