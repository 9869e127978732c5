import {textWidth} from './format.js';

/** Wrap text to `width` columns (CJK counts 2): at spaces where possible, else anywhere. */
export function wrapText(text: string, width: number): string[] {
	if (width <= 0) {
		return [];
	}

	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		let used = 0;
		for (const word of paragraph.split(/(?<= )/)) {
			const w = textWidth(word);
			if (used + w <= width) {
				line += word;
				used += w;
				continue;
			}

			if (line.trim()) {
				lines.push(line.trimEnd());
			}

			line = '';
			used = 0;
			for (const character of word) {
				const cw = textWidth(character);
				if (used + cw > width) {
					lines.push(line);
					line = '';
					used = 0;
				}

				line += character;
				used += cw;
			}
		}

		lines.push(line.trimEnd());
	}

	return lines;
}
