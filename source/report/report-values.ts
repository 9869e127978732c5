import {formatBytes, formatCount, formatDuration} from '../text/format.js';
import type {ReportLanguage} from './drill-report.js';

/** Dates in the report's own time zone, so the printout does not depend on the machine printing it. */
export function dateTimeText(iso: string, timeZone: string | undefined): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) {
		return iso;
	}

	const zone = timeZone ?? 'UTC';
	// The sv-SE locale writes dates as YYYY-MM-DD HH:MM:SS.
	const text = new Intl.DateTimeFormat('sv-SE', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'}).format(date);
	return `${text} (${zone})`;
}

/** How old a generation is, in days, hours and minutes: "1 d 2 h 5 min", "1日2時間5分". */
export function ageText(ms: number, lang: ReportLanguage): string {
	const minutes = Math.max(0, Math.floor(ms / 60_000));
	const parts: Array<[number, string, string]> = [
		[Math.floor(minutes / 1440), ' d', '日'],
		[Math.floor((minutes % 1440) / 60), ' h', '時間'],
		[minutes % 60, ' min', '分'],
	];
	const shown = parts.filter(([value], index) => value > 0 || (index === 2 && parts.every(([other]) => other === 0)));
	return shown.map(([value, enUnit, jaUnit]) => `${value}${lang === 'ja' ? jaUnit : enUnit}`).join(lang === 'ja' ? '' : ' ');
}

export function durationText(ms: number): string {
	return formatDuration(ms);
}

export function bytesText(bytes: number, lang: ReportLanguage): string {
	return `${formatBytes(bytes)} (${formatCount(bytes)} ${lang === 'ja' ? 'バイト' : 'bytes'})`;
}

export function countText(count: number): string {
	return formatCount(count);
}
