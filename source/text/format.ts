import slowStringWidth from 'string-width';

/** Human formatting shared by the TUI and the headless CLI's text output. */

// Most text on screen is printable ASCII, where width is length; string-width segments every
// string into graphemes, which dominated the TUI's frame time.
const printableAscii = /^[\u0020-\u007E]*$/;

// The rest (rules, bars, glyphs, Japanese) repeats from frame to frame: remember it, within bounds.
const widths = new Map<string, number>();

export function textWidth(text: string): number {
	if (printableAscii.test(text)) {
		return text.length;
	}

	let width = widths.get(text);
	if (width === undefined) {
		width = slowStringWidth(text);
		if (widths.size >= 4096) {
			widths.clear();
		}

		widths.set(text, width);
	}

	return width;
}

const stringWidth = textWidth;
const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return '?';
	}

	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	return unit === 0 ? `${Math.round(value)} B` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
	return `${formatBytes(bytesPerSecond)}/s`;
}

// One formatter for every call: toLocaleString builds a new one each time (a third of a progress
// frame's own time in a profile).
const counts = new Intl.NumberFormat('en-US');

export function formatCount(count: number): string {
	return counts.format(count);
}

export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) {
		return '?';
	}

	if (ms < 1000) {
		return `${Math.round(ms)} ms`;
	}

	const seconds = ms / 1000;
	if (seconds < 60) {
		return `${seconds.toFixed(1)} s`;
	}

	const whole = Math.round(seconds);
	const h = Math.floor(whole / 3600);
	const m = Math.floor((whole % 3600) / 60);
	const s = whole % 60;
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

/** "3 days ago", "5 min ago": for ages of generations and offline cartridges. */
export function formatAge(ms: number): string {
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 1) {
		return 'just now';
	}

	if (minutes < 60) {
		return `${minutes} min ago`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 48) {
		return `${hours} h ago`;
	}

	return `${Math.floor(hours / 24)} days ago`;
}

export function formatTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) {
		return iso;
	}

	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Cut text to `width` terminal columns (CJK counts 2), keeping the end, which names the file. */
export function truncateStart(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (stringWidth(text) <= width) {
		return text;
	}

	const characters = [...text];
	let result = '';
	let used = 1;
	for (let i = characters.length - 1; i >= 0; i--) {
		const w = stringWidth(characters[i]);
		if (used + w > width) {
			break;
		}

		result = characters[i] + result;
		used += w;
	}

	return `…${result}`;
}

/**
 * Cut text to `width` columns in the middle: medium labels differ at their end as often as at
 * their start ("RDX-CLINIC-A", "RDX-CLINIC-B"), so both ends stay ("RDX…C-A").
 */
export function truncateMiddle(text: string, width: number): string {
	if (stringWidth(text) <= width) {
		return text;
	}

	if (width < 3) {
		return truncateEnd(text, width);
	}

	const tail = Math.floor((width - 1) / 2);
	return truncateEnd(text, width - 1 - tail, '') + truncateStart(text, tail + 1);
}

/** Cut text to `width` columns at the end. */
export function truncateEnd(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) {
		return '';
	}

	if (stringWidth(text) <= width) {
		return text;
	}

	if (printableAscii.test(text) && printableAscii.test(ellipsis)) {
		return width <= ellipsis.length ? ellipsis.slice(0, width) : text.slice(0, width - ellipsis.length) + ellipsis;
	}

	let result = '';
	let used = stringWidth(ellipsis);
	for (const character of text) {
		const w = stringWidth(character);
		if (used + w > width) {
			break;
		}

		result += character;
		used += w;
	}

	return result + ellipsis;
}

/** Pad to `width` columns (CJK-aware). */
export function padEnd(text: string, width: number): string {
	const w = stringWidth(text);
	return w >= width ? text : text + ' '.repeat(width - w);
}

export function padStart(text: string, width: number): string {
	const w = stringWidth(text);
	return w >= width ? text : ' '.repeat(width - w) + text;
}

