import {textWidth} from '../../text/format.js';
import {asciiOnly, type Segment} from './row.js';

/**
 * Detail lines wrapped to the pane's width instead of cut: at spaces where possible, else
 * anywhere (Japanese has no spaces; CJK counts 2 columns), each piece keeping its segment's
 * style. Without Unicode the text is spelled in ASCII first, since that changes widths.
 */
function pieces(text: string): string[] {
	return text.split(/(?<= )/).filter(piece => piece !== '');
}

export function wrapSegments(line: Segment[], width: number, unicode = true): Segment[][] {
	if (width <= 0) {
		return [];
	}

	const spelled = unicode ? line : line.map(segment => ({...segment, text: asciiOnly(segment.text)}));
	if (textWidth(spelled.map(segment => segment.text).join('')) <= width) {
		return [spelled];
	}

	const lines: Segment[][] = [];
	let current: Segment[] = [];
	let used = 0;
	const push = (segment: Segment, text: string) => {
		const last = current.at(-1);
		if (last && last.color === segment.color && last.bold === segment.bold && last.dim === segment.dim) {
			current[current.length - 1] = {...last, text: last.text + text};
		} else {
			current.push({...segment, text});
		}

		used += textWidth(text);
	};

	const breakLine = () => {
		const last = current.at(-1);
		if (last) {
			current[current.length - 1] = {...last, text: last.text.trimEnd()};
		}

		lines.push(current);
		current = [];
		used = 0;
	};

	for (const segment of spelled) {
		for (const word of pieces(segment.text)) {
			const w = textWidth(word.trimEnd());
			if (used + w <= width) {
				push(segment, used + textWidth(word) <= width ? word : word.trimEnd());
				continue;
			}

			if (used > 0 && w <= width) {
				breakLine();
				push(segment, word.trimStart());
				continue;
			}

			// A word longer than the line (a path): cut it where the line ends.
			for (const character of word) {
				if (used + textWidth(character) > width) {
					breakLine();
				}

				if (used === 0 && character === ' ') {
					continue;
				}

				push(segment, character);
			}
		}
	}

	if (current.length > 0 || lines.length === 0) {
		breakLine();
	}

	return lines;
}

export function wrapAll(lines: Segment[][], width: number, unicode = true): Segment[][] {
	return lines.flatMap(line => wrapSegments(line, width, unicode));
}
