import {Text} from 'ink';
import {padEnd, textWidth, truncateEnd} from '../format.js';
import {useTheme, type Token} from '../theme/theme.js';

/**
 * One line of exactly `width` columns built from coloured segments, cut CJK-aware so nothing
 * ever wraps and every redraw overwrites the whole line.
 */
export type Segment = {text: string; color?: Token; bold?: boolean; dim?: boolean; /** Cut without an ellipsis (rules, fillers). */ clip?: boolean};

/** Without a UTF-8 locale anything beyond ASCII would arrive as mojibake: show '?' instead. */
export function asciiOnly(text: string): string {
	return text.replaceAll(/[^\x20-\x7E]/gu, '?');
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

export function Row({segments, width, inverse = false}: {segments: Segment[]; width: number; inverse?: boolean}) {
	const theme = useTheme();
	const parts = fit(segments, width, theme.ellipsis, theme.capabilities.unicode);
	return (
		<Text wrap="truncate" inverse={inverse}>
			{parts.map((part, index) => (
				// Segments are positional and never reordered.
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} color={part.color ? theme.color(part.color) : undefined} bold={part.bold} dimColor={part.dim && theme.capabilities.color}>{part.text}</Text>
			))}
		</Text>
	);
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
	return padEnd(truncateEnd(text, width, ellipsis), width);
}
