import {truncateStart} from '../text/format.js';
import {progressBar} from '../text/progress-bar.js';
import type {Symbols} from '../text/symbols.js';
import type {JobRow} from './job-rows.js';
import {cellWidth, fitLine, truncateCells, type Line} from './segments.js';

/**
 * A job in two lines of a given width. Running: state, title, gauge, percent, rate, ETA; then
 * phase, bytes, files and the end of the current file's path (the end names the file).
 * Finished: state, title, when; then what it achieved or why it failed.
 */
const wordWidth = 11;
const badgeWidth = 2 + wordWidth;
const minimumBar = 10;

export function jobLines(row: JobRow, width: number, symbols: Symbols): [Line, Line] {
	const badge = {text: `${row.glyph} ${row.word.padEnd(wordWidth)}`, tone: row.tone, bold: true};
	const title = {text: ` ${row.title}`, bold: true};
	if (row.status !== 'running') {
		const when = `  ${row.when}`;
		title.text = truncateCells(title.text, Math.max(12, width - badgeWidth - cellWidth(when)), symbols.ellipsis);
		return [
			fitLine([badge, title, {text: when, tone: 'muted'}], width, symbols.ellipsis),
			fitLine([{text: `   ${row.outcome}`, tone: row.status === 'done' ? 'normal' : row.tone}], width, symbols.ellipsis),
		];
	}

	const tail = [row.rate, row.eta].filter(Boolean).join('  ');
	const gauge = 2 + 1 + row.percent.length + (tail ? 2 + cellWidth(tail) : 0);
	// A long title (a restore's target folder) gives way to the gauge, rate and ETA.
	const titleRoom = Math.max(12, width - badgeWidth - gauge - minimumBar);
	title.text = truncateCells(title.text, titleRoom, symbols.ellipsis);
	const barWidth = Math.max(minimumBar, Math.min(40, width - badgeWidth - cellWidth(title.text) - gauge));
	const first: Line = [
		badge,
		title,
		{text: '  '},
		{text: progressBar(row.fraction ?? 0, barWidth, symbols), tone: 'accent'},
		{text: ` ${row.percent}`, bold: true},
		...(tail ? [{text: `  ${tail}`}] : []),
	];
	// A phase without figures (checking the index, sealing) says what it does instead.
	const facts = row.bytes || row.files ? [row.phase, row.bytes, row.files].filter(Boolean).join(` ${symbols.dot} `) : (row.activity || row.phase);
	const head = `   ${facts}`;
	const room = width - cellWidth(head) - 3;
	const file = row.current && room > 8 ? truncateStart(row.current, room).replace(/^…/, symbols.ellipsis) : '';
	const second: Line = [{text: head}, ...(file ? [{text: ` ${symbols.dot} `, tone: 'muted' as const}, {text: file, tone: 'muted' as const}] : [])];
	return [fitLine(first, width, symbols.ellipsis), fitLine(second, width, symbols.ellipsis)];
}
