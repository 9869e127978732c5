import {Text} from 'ink';
import {padEnd, textWidth, truncateEnd, truncateMiddle} from '../../text/format.js';
import {useTheme, type Token} from '../theme/theme.js';

/**
 * One line of exactly `width` columns built from coloured segments, cut CJK-aware so nothing
 * ever wraps and every redraw overwrites the whole line.
 */
export type Segment = {text: string; color?: Token; bold?: boolean; dim?: boolean; /** Cut without an ellipsis (rules, fillers). */ clip?: boolean};

/** Punctuation with a plain ASCII spelling (fit() measures after converting, so widths may change). */
const asciiSpelling: Record<string, string> = {'°': '', '·': '-', '→': '->', '…': '...', '—': '-', '–': '-', '×': 'x', '≤': '<=', '≥': '>='};

/** Without a UTF-8 locale anything beyond ASCII would arrive as mojibake: spell it, or show '?'. */
export function asciiOnly(text: string): string {
	return text.replaceAll(/[^\x20-\x7E]/gu, character => asciiSpelling[character] ?? '?');
}

export function fit(segments: Segment[], width: number, ellipsis: string, unicode = true): Segment[] {
	const out: Segment[] = [];
	let left = width;
	for (const original of segments) {
		const segment = unicode ? original : {...original, text: asciiOnly(original.text)};
		if (left <= 0) {
			break;
		}

		const w = textWidth(segment.text);
		if (w <= left) {
			out.push(segment);
			left -= w;
		} else {
			out.push({...segment, text: truncateEnd(segment.text, left, segment.clip ? '' : ellipsis)});
			left -= textWidth(out.at(-1)!.text);
			break;
		}
	}

	if (left > 0) {
		out.push({text: ' '.repeat(left)});
	}

	return out;
}

const sgrColor: Record<string, number> = {cyan: 36, green: 32, yellow: 33, red: 31, gray: 90, blue: 34};

/**
 * The line as one styled string: one Ink text node per line instead of one per segment keeps
 * each frame cheap (Ink lays out and re-tokenizes every node on every frame).
 */
export function styleLine(parts: Segment[], color: (token: Token) => string | undefined, useColor: boolean): string {
	let out = '';
	for (const part of parts) {
		const name = part.color ? color(part.color) : undefined;
		const open = [name ? sgrColor[name] : undefined, part.bold ? 1 : undefined, part.dim && useColor ? 2 : undefined].filter((code): code is number => code !== undefined);
		out += open.length > 0 ? `\u001B[${open.join(';')}m${part.text}\u001B[0m` : part.text;
	}

	return out;
}

export function Row({segments, width, inverse = false}: {segments: Segment[]; width: number; inverse?: boolean}) {
	const theme = useTheme();
	const parts = fit(segments, width, theme.ellipsis, theme.capabilities.unicode);
	const line = styleLine(parts, theme.color, theme.capabilities.color);
	// Inverse wraps the whole line; the resets inside re-open it per segment.
	return <Text wrap='truncate'>{inverse ? `\u001B[7m${line.replaceAll('\u001B[0m', '\u001B[0m\u001B[7m')}\u001B[27m` : line}</Text>;
}

/** A line of plain text, padded to width. */
export function Line({text, width, color, bold, inverse}: {text: string; width: number; color?: Token; bold?: boolean; inverse?: boolean}) {
	return <Row width={width} inverse={inverse} segments={[{text, ...(color ? {color} : {}), ...(bold ? {bold} : {})}]}/>;
}

/** Blank lines to fill a fixed-height area. */
export function Filler({count, width}: {count: number; width: number}) {
	if (count <= 0) {
		return null;
	}

	return <Text>{Array.from({length: count}, () => ' '.repeat(width)).join('\n')}</Text>;
}

/** A fixed-width column: the text cut to leave at least one space before the next column. */
export function column(text: string, width: number, ellipsis = '…'): string {
	return padEnd(truncateEnd(text, Math.max(1, width - 1), ellipsis), width);
}

/** A fixed-width column for a medium's label: cut in the middle, so shortened labels stay distinct. */
export function labelColumn(label: string, width: number): string {
	return padEnd(truncateMiddle(label, Math.max(1, width - 1)), width);
}
