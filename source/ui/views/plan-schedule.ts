import path from 'node:path';
import type {PlanSchedule, ScheduledRun} from '../../app/operations/schedule.js';
import type {Symbols} from '../../text/symbols.js';
import type {Translate} from '../i18n/i18n.js';
import {ageShort, ago} from '../age.js';
import {column, type Segment} from '../components/row.js';

/**
 * A plan's line in the Backup view (its schedule, the next run, the last run) and, under the
 * cursor, the details: which timer unit or cron file runs it, and what the last run did.
 */
type Clock = {t: Translate; symbols: Symbols; now: number};

/** "02:30" in local time, as systemd and cron read the calendar. */
export function clockOf(iso: string): string {
	const date = new Date(iso);
	return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function lastRunSegment(schedule: PlanSchedule, {t, symbols, now}: Clock): Segment {
	const run = schedule.lastRun;
	if (!run) {
		return {text: t('backup.noRun'), color: 'muted'};
	}

	const bad = !run.ok || run.suspect;
	const age = ago(run.ended ?? run.time, t, now);
	return bad
		? {text: `${symbols.bad} ${t('backup.lastBad', {age})}`, color: 'bad', bold: true}
		: {text: `${symbols.ok} ${t('backup.lastOk', {age})}`, color: 'ok'};
}

export function planRow(schedule: PlanSchedule, clock: Clock): Segment[] {
	const {t, symbols, now} = clock;
	const backup = schedule.entries.find(entry => entry.kind === 'backup');
	const head: Segment[] = [{text: column(t('backup.plan'), 8), color: 'muted'}, {text: `${column(schedule.plan, 8)} `, bold: true}];
	if (!backup) {
		return [...head, {text: `${symbols.warn} ${t('backup.notScheduled')}  `, color: 'warn'}, lastRunSegment(schedule, clock)];
	}

	// The last run before the next: a failed night must never be the part that is cut.
	const next: Segment[] = schedule.nextRun ? [{text: `  ${t('backup.next', {in: ageShort(Date.parse(schedule.nextRun) - now, t)})}`}] : [];
	return [...head, {text: `${symbols.running} ${t('backup.nightly', {at: backup.at})}  `, color: 'accent'}, lastRunSegment(schedule, clock), ...next];
}

/** The lines under the list for the plan under the cursor, most important first (the view may cut the rest). */
export function planDetails(schedule: PlanSchedule, clock: Clock): Segment[][] {
	const {t, symbols} = clock;
	const unit = (entry: ScheduledRun) => path.basename(entry.files[0] ?? '');
	const lines: Segment[][] = [];
	for (const entry of schedule.entries.filter(item => item.kind === 'backup')) {
		const next: Segment[] = entry.nextRun ? [{text: `  ${t('backup.nextAt', {at: clockOf(entry.nextRun)})}`}] : [];
		lines.push([{text: '   '}, {text: entry.mechanism === 'cron' ? t('backup.cron', {file: unit(entry), when: entry.when}) : t('backup.timer', {unit: unit(entry), when: entry.when}), color: 'muted'}, ...next]);
	}

	const run = schedule.lastRun;
	for (const failure of run?.failures ?? []) {
		lines.push([{text: `   ${symbols.bad} ${failure}`, color: 'bad'}]);
	}

	for (const entry of schedule.entries.filter(item => item.kind === 'verify')) {
		lines.push([{text: '   '}, {text: `${t('backup.weekly', {at: entry.at})}  `, color: 'accent'}, {text: unit(entry), color: 'muted'}]);
	}

	const facts = [
		run && run.sealed.length > 0 ? t('backup.lastSealed', {sealed: run.sealed.join(', ')}) : '',
		run && run.offline.length > 0 ? t('backup.lastOffline', {offline: run.offline.join(', ')}) : '',
	].filter(Boolean).join('  ');
	if (facts) {
		lines.push([{text: `   ${facts}`}]);
	}

	return lines;
}
