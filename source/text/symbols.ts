/**
 * Every glyph the TUI draws, in a Unicode set and an ASCII set for `LANG=C`, `TERM=vt100` and
 * old SSH clients. All are one column wide in both sets.
 */
export type Symbols = {
	vertical: string;
	horizontal: string;
	barFull: string;
	barEmpty: string;
	pointer: string;
	ok: string;
	bad: string;
	warn: string;
	running: string;
	queued: string;
	online: string;
	offline: string;
	locked: string;
	checked: string;
	unchecked: string;
	radioOn: string;
	radioOff: string;
	marked: string;
	ellipsis: string;
	arrowRight: string;
	arrowUp: string;
	arrowDown: string;
	folder: string;
	file: string;
	link: string;
	added: string;
	removed: string;
	changed: string;
	dot: string;
	enter: string;
};

export const unicodeSymbols: Symbols = {
	vertical: '│',
	horizontal: '─',
	barFull: '█',
	barEmpty: '░',
	pointer: '›',
	ok: '✓',
	bad: '✗',
	warn: '!',
	running: '▶',
	queued: '…',
	online: '●',
	offline: '○',
	locked: '◆',
	checked: '[x]',
	unchecked: '[ ]',
	radioOn: '(•)',
	radioOff: '( )',
	marked: '◆',
	ellipsis: '…',
	arrowRight: '→',
	arrowUp: '↑',
	arrowDown: '↓',
	folder: '▸',
	file: ' ',
	link: '↪',
	added: '+',
	removed: '-',
	changed: '~',
	dot: '·',
	enter: '⏎',
};

export const asciiSymbols: Symbols = {
	vertical: '|',
	horizontal: '-',
	barFull: '#',
	barEmpty: '.',
	pointer: '>',
	ok: '+',
	bad: 'x',
	warn: '!',
	running: '>',
	queued: '~',
	online: '*',
	offline: 'o',
	locked: '#',
	checked: '[x]',
	unchecked: '[ ]',
	radioOn: '(*)',
	radioOff: '( )',
	marked: '*',
	ellipsis: '~',
	arrowRight: '->',
	arrowUp: '^',
	arrowDown: 'v',
	folder: '>',
	file: ' ',
	link: '@',
	added: '+',
	removed: '-',
	changed: '~',
	dot: '-',
	enter: 'Enter',
};
