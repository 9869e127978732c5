import type {JournalKind} from '../settings/job-journal.js';
import type {JobStatus, JobTrack} from '../settings/job-journal-reader.js';
import {formatAge, formatBytes, formatCount, formatDuration, formatRate} from '../text/format.js';
import type {Symbols} from '../text/symbols.js';
import {outcomeOf} from './job-outcome.js';
import type {Tone} from './segments.js';

/** A job as the dashboard shows it: every figure already formatted, state as glyph + word. */
export type JobRow = {
	key: string;
	status: JobStatus;
	kind: JournalKind;
	/** State as a glyph and a word (never by colour alone). */
	glyph: string;
	word: string;
	tone: Tone;
	title: string;
	phase: string;
	/** What the job said it is doing, for phases without figures. */
	activity: string;
	/** Share done (0..1), when the job has reported progress. */
	fraction: number | undefined;
	percent: string;
	bytes: string;
	files: string;
	rate: string;
	eta: string;
	current: string;
	/** "started 3 min ago", "finished 2 min ago in 1:23", "no word for 5 min" … */
	when: string;
	/** What a finished job achieved, or why it failed. */
	outcome: string;
};

const words: Record<JobStatus, string> = {
	running: 'running',
	done: 'done',
	failed: 'FAILED',
	cancelled: 'cancelled',
	interrupted: 'interrupted',
};

function badge(status: JobStatus, symbols: Symbols): {glyph: string; word: string; tone: Tone} {
	const word = words[status];
	switch (status) {
		case 'running': {
			return {glyph: symbols.running, word, tone: 'accent'};
		}

		case 'done': {
			return {glyph: symbols.ok, word, tone: 'ok'};
		}

		case 'failed': {
			return {glyph: symbols.bad, word, tone: 'bad'};
		}

		case 'cancelled':
		case 'interrupted': {
			return {glyph: symbols.warn, word, tone: 'warn'};
		}
	}
}

/** The last note a job wrote: its own words when its summary has no shape we know. */
function lastNote(track: JobTrack): string | undefined {
	for (let index = track.log.length - 1; index >= 0; index--) {
		const {record} = track.log[index];
		if (record.type === 'note') {
			return record.message;
		}
	}

	return undefined;
}

function outcome(track: JobTrack): string {
	const {end} = track;
	switch (track.status) {
		case 'running': {
			return '';
		}

		case 'interrupted': {
			return `process ${track.start.pid} ended without a result${track.phase ? ` during ${track.phase}` : ''}: run it again${track.start.kind === 'backup' ? ' (nothing half-written is sealed)' : ''}`;
		}

		default: {
			const summary = outcomeOf(track.start.kind, end?.result);
			if (end?.error) {
				return `${end.error.message}${end.exitCode === undefined ? '' : ` (exit ${end.exitCode})`}`;
			}

			return summary ?? lastNote(track) ?? (end?.exitCode === undefined ? '' : `exit ${end.exitCode}`);
		}
	}
}

export function jobRow(track: JobTrack, now: number, symbols: Symbols): JobRow {
	const {start, end} = track;
	// Figures of an earlier phase would mislead (a restore's verify pass starts again at 0).
	const last = track.last && (!track.phase || track.last.phase === track.phase) ? track.last : undefined;
	const started = Date.parse(start.time);
	const total = last ? (last.bytesTotal > 0 ? last.bytesTotal : last.filesTotal) : 0;
	const done = last ? (last.bytesTotal > 0 ? last.bytesDone : last.filesDone) : 0;
	const fraction = last && total > 0 ? Math.min(1, done / total) : undefined;
	let when: string;
	if (end) {
		when = `finished ${formatAge(now - Date.parse(end.t))} in ${formatDuration(end.durationMs)}`;
	} else if (track.status === 'interrupted') {
		when = `last heard ${formatAge(now - track.lastTime)}`;
	} else {
		when = `started ${formatAge(now - started)}, ${formatDuration(now - started)} so far`;
	}

	const running = track.status === 'running';
	return {
		key: track.name,
		status: track.status,
		kind: start.kind,
		...badge(track.status, symbols),
		title: `${start.kind} ${start.label}${start.detail ? ` ${start.detail}` : ''}`,
		phase: track.phase ?? 'starting',
		activity: track.activity ?? '',
		fraction,
		percent: fraction === undefined ? '  ?%' : `${String(Math.floor(fraction * 100)).padStart(3)}%`,
		bytes: last && last.bytesTotal > 0 ? `${formatBytes(last.bytesDone)}/${formatBytes(last.bytesTotal)}` : '',
		files: last && last.filesTotal > 0 ? `${formatCount(last.filesDone)}/${formatCount(last.filesTotal)} files` : '',
		rate: running && last && last.rate > 0 ? formatRate(last.rate) : '',
		eta: running && last?.etaMs !== undefined ? `ETA ${formatDuration(last.etaMs)}` : '',
		current: running ? (last?.currentPath ?? '') : '',
		when,
		outcome: outcome(track),
	};
}

const dayMs = 24 * 60 * 60_000;

/**
 * Running jobs first (newest first), then the most recent finished or interrupted ones of the
 * last day: what a technician glancing at the screen wants to know.
 */
export function jobRows(tracks: JobTrack[], now: number, symbols: Symbols, recent = 6): JobRow[] {
	const running = tracks.filter(track => track.status === 'running').sort((a, b) => b.start.time.localeCompare(a.start.time));
	const others = tracks
		.filter(track => track.status !== 'running' && now - track.lastTime < dayMs)
		.sort((a, b) => b.lastTime - a.lastTime)
		.slice(0, recent);
	return [...running, ...others].map(track => jobRow(track, now, symbols));
}
