/**
 * Large type for the restore drill's RTO: digits and ':' three rows tall. Unicode draws a 3×5
 * pixel font with half blocks; ASCII draws seven-segment figures with `_` and `|`.
 */
const pixels: Record<string, string[]> = {
	0: ['111', '101', '101', '101', '111'],
	1: ['110', '010', '010', '010', '111'],
	2: ['111', '001', '111', '100', '111'],
	3: ['111', '001', '111', '001', '111'],
	4: ['101', '101', '111', '001', '001'],
	5: ['111', '100', '111', '001', '111'],
	6: ['111', '100', '111', '101', '111'],
	7: ['111', '001', '001', '001', '001'],
	8: ['111', '101', '111', '101', '111'],
	9: ['111', '101', '111', '001', '111'],
	':': ['0', '1', '0', '1', '0'],
	' ': ['0', '0', '0', '0', '0'],
};

// Segments a (top), b (top right), c (bottom right), d (bottom), e (bottom left), f (top left), g (middle).
const segments: Record<string, string> = {
	0: 'abcdef', 1: 'bc', 2: 'abdeg', 3: 'abcdg', 4: 'bcfg', 5: 'acdfg', 6: 'acdefg', 7: 'abc', 8: 'abcdefg', 9: 'abcdfg',
};

function halfBlocks(character: string): string[] {
	const rows = pixels[character] ?? pixels[' '];
	const cell = (top: string | undefined, bottom: string | undefined) => [' ', '▄', '▀', '█'][(top === '1' ? 2 : 0) + (bottom === '1' ? 1 : 0)];

	return [0, 2, 4].map(row => [...rows[row]].map((pixel, column) => cell(pixel, rows[row + 1]?.[column])).join(''));
}

function sevenSegment(character: string): string[] {
	if (character === ':') {
		return [' ', '.', '.'];
	}

	const on = segments[character];
	if (on === undefined) {
		return ['   ', '   ', '   '];
	}

	const has = (segment: string) => on.includes(segment);
	return [
		` ${has('a') ? '_' : ' '} `,
		`${has('f') ? '|' : ' '}${has('g') ? '_' : ' '}${has('b') ? '|' : ' '}`,
		`${has('e') ? '|' : ' '}${has('d') ? '_' : ' '}${has('c') ? '|' : ' '}`,
	];
}

/** Three lines of big text; characters other than digits, ':' and space become blanks. */
export function bigText(text: string, unicode: boolean): [string, string, string] {
	const glyphs = [...text].map(character => (unicode ? halfBlocks(character) : sevenSegment(character)));
	const row = (index: number) => glyphs.map(glyph => glyph[index]).join(' ');
	return [row(0), row(1), row(2)];
}

export function bigTextWidth(text: string, unicode: boolean): number {
	return bigText(text, unicode)[0].length;
}

/** A duration as a clock: 0:42, 12:05, 1:02:03. */
export function clockDuration(ms: number): string {
	const whole = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(whole / 3600);
	const m = Math.floor((whole % 3600) / 60);
	const s = String(whole % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
