/**
 * When a schedule Sedai wrote fires next, from its own calendar (systemd OnCalendar= or the
 * cron fields), in local time like systemd and cron. Pure: `now` is handed in, so the console
 * and tests agree whatever the clock says. Only the forms Sedai writes are understood:
 * `[Sun ]*-*-* HH:MM:SS` and `M H * * *|0-6`.
 */
const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

type Calendar = {hour: number; minute: number; second: number; weekday?: number};

function fromTimer(when: string): Calendar | undefined {
	const match = /^(?:([A-Za-z]{3}) )?\*-\*-\* (\d{1,2}):(\d{2})(?::(\d{2}))?$/u.exec(when.trim());
	if (!match) {
		return undefined;
	}

	const weekday = match[1] === undefined ? undefined : weekdays.indexOf(match[1].toLowerCase());
	if (weekday === -1) {
		return undefined;
	}

	return {hour: Number(match[2]), minute: Number(match[3]), second: Number(match[4] ?? 0), ...(weekday === undefined ? {} : {weekday})};
}

function fromCron(when: string): Calendar | undefined {
	const match = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-7])$/u.exec(when.trim());
	if (!match) {
		return undefined;
	}

	return {minute: Number(match[1]), hour: Number(match[2]), second: 0, ...(match[3] === '*' ? {} : {weekday: Number(match[3]) % 7})};
}

/** The first moment after `now` the calendar names; undefined for a calendar Sedai did not write. */
export function nextRun(when: string, mechanism: 'systemd' | 'cron', now: Date): Date | undefined {
	const calendar = mechanism === 'cron' ? fromCron(when) : fromTimer(when);
	if (!calendar || calendar.hour > 23 || calendar.minute > 59 || calendar.second > 59) {
		return undefined;
	}

	for (let day = 0; day <= 7; day++) {
		const candidate = new Date(now.getFullYear(), now.getMonth(), now.getDate() + day, calendar.hour, calendar.minute, calendar.second);
		if (candidate.getTime() > now.getTime() && (calendar.weekday === undefined || candidate.getDay() === calendar.weekday)) {
			return candidate;
		}
	}

	return undefined;
}

/**
 * The `--timestamp=utc` form of systemd ("Thu 2026-12-03 02:34:12 UTC"), or `@seconds`; undefined for
 * anything else ("n/a", "", a local-zone form nobody can parse safely).
 */
export function parseSystemdTime(text: string): Date | undefined {
	const value = text.trim();
	const unix = /^@(\d+)$/u.exec(value);
	if (unix) {
		return new Date(Number(unix[1]) * 1000);
	}

	const utc = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC$/u.exec(value);
	return utc ? new Date(Date.UTC(Number(utc[1]), Number(utc[2]) - 1, Number(utc[3]), Number(utc[4]), Number(utc[5]), Number(utc[6]))) : undefined;
}
