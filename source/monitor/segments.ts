import {textWidth} from '../text/format.js';

/**
 * Styled text for the dashboard, kept apart from blessed: a line is a list of segments, each with
 * a tone. Tones become colours only when colour is allowed; state always has a glyph and a word
 * too, so nothing is told by colour alone.
 */
export type Tone = 'normal' | 'ok' | 'bad' | 'warn' | 'accent' | 'muted';

export type Segment = {text: string; tone?: Tone; bold?: boolean};

export type Line = Segment[];

// String-width counts a few symbols that may be emoji (▶, ↪) as two columns; terminals draw the
// plain character in one, and so does blessed.
const emojiCapable = /[\u25B6\u21AA]/g;

/** Columns a text takes on the terminal (CJK counts 2). */
export function cellWidth(text: string): number {
	return textWidth(text) - (text.match(emojiCapable)?.length ?? 0);
}

/** Cut text to `width` columns, marking the cut with `ellipsis`. */
export function truncateCells(text: string, width: number, ellipsis: string): string {
	if (cellWidth(text) <= width) {
		return text;
	}

	let result = '';
	let used = cellWidth(ellipsis);
	for (const character of text) {
		const w = cellWidth(character);
		if (used + w > width) {
			break;
		}

		result += character;
		used += w;
	}

	return width >= cellWidth(ellipsis) ? result + ellipsis : '';
}

export function padCells(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const room = Math.max(0, width - cellWidth(text));
	return align === 'left' ? text + ' '.repeat(room) : ' '.repeat(room) + text;
}

export function lineText(line: Line): string {
	return line.map(segment => segment.text).join('');
}

/** Cut a line to `width` columns (CJK counts 2), marking the cut with `ellipsis`. */
export function fitLine(line: Line, width: number, ellipsis: string): Line {
	const result: Line = [];
	let used = 0;
	for (const segment of line) {
		const w = cellWidth(segment.text);
		if (used + w <= width) {
			result.push(segment);
			used += w;
			continue;
		}

		const room = width - used;
		if (room > 0) {
			result.push({...segment, text: truncateCells(segment.text, room, ellipsis)});
		}

		break;
	}

	return result;
}

const colors: Record<Tone, string | undefined> = {
	normal: undefined,
	ok: 'green',
	bad: 'red',
	warn: 'yellow',
	accent: 'cyan',
	muted: 'gray',
};

/** Blessed's tag braces in user text (file names may hold `{`) must not become tags. */
export function escapeTags(text: string): string {
	return text.replaceAll(/[{}]/g, brace => (brace === '{' ? '{open}' : '{close}'));
}

/** A line as blessed tag markup; without colour only bold survives. */
export function toMarkup(line: Line, color: boolean): string {
	return line.map(segment => {
		let text = escapeTags(segment.text);
		const fg = color ? colors[segment.tone ?? 'normal'] : undefined;
		if (fg) {
			text = `{${fg}-fg}${text}{/${fg}-fg}`;
		}

		if (segment.bold) {
			text = `{bold}${text}{/bold}`;
		}

		return text;
	}).join('');
}
