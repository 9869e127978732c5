import type {JobTrack} from '../settings/job-journal-reader.js';
import {formatDuration} from '../text/format.js';
import type {Symbols} from '../text/symbols.js';
import {outcomeOf} from './job-outcome.js';
import type {Tone} from './segments.js';

/**
 * The log panel: every job's start, phases, warnings, notes and result, merged by time. Keys
 * stay the same across polls, so the dashboard appends only lines it has not shown yet.
 */
export type LogLine = {key: string; time: number; glyph: string; tone: Tone; text: string};

export function clock(time: number): string {
	const date = new Date(time);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function trackLines(track: JobTrack, symbols: Symbols): LogLine[] {
	const {start} = track;
	const who = `${start.kind} ${start.label}`;
	const lines: LogLine[] = [{
		key: `${track.name}#start`,
		time: Date.parse(start.time),
		glyph: symbols.running,
		tone: 'accent',
		text: `${who}${start.detail ? ` ${start.detail}` : ''} started (pid ${start.pid})`,
	}];
	for (const {key, record} of track.log) {
		const time = Date.parse(record.t);
		switch (record.type) {
			case 'phase': {
				lines.push({key, time, glyph: symbols.pointer, tone: 'normal', text: `${who}: ${record.message}`});
				break;
			}

			case 'warning': {
				lines.push({key, time, glyph: symbols.warn, tone: 'warn', text: `${who}: ${record.message}`});
				break;
			}

			case 'note': {
				lines.push({key, time, glyph: ' ', tone: 'muted', text: `${who}: ${record.message}`});
				break;
			}

			case 'end': {
				const took = formatDuration(record.durationMs);
				if (record.ok) {
					const what = outcomeOf(start.kind, record.result);
					lines.push({key, time, glyph: symbols.ok, tone: 'ok', text: `${who} finished OK in ${took}${what ? `: ${what}` : ''}`});
				} else if (track.status === 'cancelled') {
					lines.push({key, time, glyph: symbols.warn, tone: 'warn', text: `${who} cancelled after ${took}`});
				} else {
					const why = record.error?.message ?? outcomeOf(start.kind, record.result) ?? '';
					lines.push({key, time, glyph: symbols.bad, tone: 'bad', text: `${who} FAILED${record.exitCode === undefined ? '' : ` (exit ${record.exitCode})`}${why ? `: ${why}` : ''}`});
				}

				if (record.suppressed) {
					lines.push({key: `${key}+`, time, glyph: symbols.warn, tone: 'warn', text: `${who}: ${record.suppressed} more warning(s) or line(s) not journaled; see the command's own output`});
				}

				break;
			}
		}
	}

	if (track.status === 'interrupted') {
		lines.push({key: `${track.name}#interrupted`, time: track.lastTime, glyph: symbols.warn, tone: 'warn', text: `${who} interrupted: process ${start.pid} is gone without a result`});
	}

	return lines;
}

export function logLines(tracks: JobTrack[], symbols: Symbols, limit = 300): LogLine[] {
	return tracks
		.flatMap(track => trackLines(track, symbols))
		// Stable: lines of one time keep their journal order.
		.sort((a, b) => a.time - b.time)
		.slice(-limit);
}

export function logText(line: LogLine): string {
	return `${clock(line.time)} ${line.glyph} ${line.text}`;
}
