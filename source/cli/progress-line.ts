import type {ProgressEvent} from '../core/jobs/events.js';
import {formatBytes, formatCount, formatDuration, formatRate, padEnd, textWidth, truncateStart} from '../text/format.js';
import type {Capabilities} from '../text/capabilities.js';
import {phaseText} from '../text/messages/phase-text.js';
import type {Language} from '../text/messages/render.js';
import {outputLanguage} from './language.js';

/** A job's progress with the kind of job it belongs to (the operation event's `kind`). */
export type LineProgress = Omit<ProgressEvent, 'job'> & {kind?: string};

type LineEvent = LineProgress | {type: 'phase'; phase?: string; message: string} | {type: 'warning'; message: string};

/**
 * A one-line live progress bar for headless commands on a terminal. It redraws in place at most
 * a few times a second and only when the text changed: cheap over a slow SSH link.
 */
export class ProgressLine {
	private lastText = '';
	private lastDraw = 0;
	private visible = false;
	private readonly language: Language = outputLanguage();

	constructor(private readonly stream: NodeJS.WriteStream, private readonly capabilities: Capabilities) {}

	handle(event: LineEvent): void {
		if (event.type === 'progress') {
			this.draw(event);
		} else if (event.type === 'phase') {
			this.print(`${this.capabilities.unicode ? '›' : '>'} ${phaseText(event, this.language)}`);
		} else {
			this.print(`${this.capabilities.unicode ? '⚠' : '!'} ${event.message}`);
		}
	}

	/** Print a line above the bar. */
	print(text: string): void {
		this.clear();
		this.stream.write(`${text}\n`);
	}

	clear(): void {
		if (this.visible) {
			this.stream.write('\r\u001B[2K');
			this.visible = false;
			this.lastText = '';
		}
	}

	private draw(event: LineProgress): void {
		const now = Date.now();
		if (now - this.lastDraw < 200) {
			return;
		}

		const columns = this.stream.columns || 80;
		const text = renderProgress(event, columns - 1, this.capabilities);
		if (text === this.lastText) {
			return;
		}

		this.stream.write(`\r${text}\u001B[K`);
		this.lastText = text;
		this.lastDraw = now;
		this.visible = true;
	}
}

export function bar(fraction: number, width: number, unicode: boolean): string {
	const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
	if (!unicode) {
		const filled = Math.round(clamped * width);
		return '#'.repeat(filled) + '-'.repeat(width - filled);
	}

	const eighths = Math.round(clamped * width * 8);
	const full = Math.floor(eighths / 8);
	const partial = eighths % 8;
	const blocks = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
	const head = full < width && partial > 0 ? blocks[partial] : '';
	return '█'.repeat(full) + head + '░'.repeat(width - full - (head ? 1 : 0));
}

export function renderProgress(event: LineProgress, columns: number, capabilities: Capabilities): string {
	const fraction = event.bytesTotal > 0 ? event.bytesDone / event.bytesTotal : (event.filesTotal > 0 ? event.filesDone / event.filesTotal : 0);
	const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
	const bytes = `${formatBytes(event.bytesDone)}/${formatBytes(event.bytesTotal)}`;
	const files = `${formatCount(event.filesDone)}/${formatCount(event.filesTotal)} files`;
	const rate = formatRate(event.rate);
	const eta = event.etaMs === undefined ? '' : `ETA ${formatDuration(event.etaMs)}`;
	const head = `${event.kind ?? ''} ${event.phase}`.trim();
	const barWidth = Math.max(10, Math.min(30, columns - 60));
	let text = `${padEnd(head, 14)} ${bar(fraction, barWidth, capabilities.unicode)} ${percent} ${bytes}  ${files}  ${rate} ${eta}`;
	const room = columns - textWidth(text) - 2;
	if (event.currentPath && room > 8) {
		text += `  ${truncateStart(event.currentPath, room)}`;
	}

	return textWidth(text) > columns ? truncateStart(text, columns) : text;
}
