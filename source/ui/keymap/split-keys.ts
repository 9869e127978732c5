import type {Key} from 'ink';
import {keyName, none, type KeyEvent} from './key-name.js';

/**
 * One event per key in a run of several that came in one read (fast typing over SSH, tmux
 * send-keys, a paste): Ink hands such a run over whole, "j\r" included, and names it nothing.
 * Ink already cuts runs at escape sequences, so what is left are characters and control codes.
 */

function decode(character: string): [string, Key] {
	switch (character) {
		case '\r':
		case '\n': {
			return ['', {...none, return: true}];
		}

		case '\t': {
			return ['', {...none, tab: true}];
		}

		case '\u007F':
		case '\b': {
			return ['', {...none, backspace: true}];
		}

		default: {
			const code = character.codePointAt(0) ?? 0;
			// Ctrl+A … Ctrl+Z, as Ink reports them: the letter, with ctrl.
			return code > 0 && code < 27 ? [String.fromCodePoint(code + 96), {...none, ctrl: true}] : [character, {...none, shift: /[A-Z]/.test(character)}];
		}
	}
}

function single(character: string): KeyEvent {
	const [input, key] = decode(character);
	return {input, key, name: keyName(input, key)};
}

const escapeEvent: KeyEvent = {input: '', key: {...none, escape: true, meta: true}, name: 'escape'};

/**
 * Esc and the next key in one read ("\u001B3": a fast typist, or SSH putting both in one packet)
 * reach Ink as Alt+3. The console binds no Alt keys, so it is the two keys that were pressed.
 * Arrows and other named keys with meta are real modifier sequences and stay as they are.
 */
function escapeThenKey(input: string, key: Key): KeyEvent[] | undefined {
	const named = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end;
	if (!key.meta || key.escape || named || (input === '' && !key.return && !key.tab && !key.backspace && !key.delete)) {
		return undefined;
	}

	const plain: Key = {...key, meta: false};
	return [escapeEvent, {input, key: plain, name: keyName(input, plain)}];
}

export function splitKeys(input: string, key: Key): KeyEvent[] {
	const characters = [...input];
	const escaped = escapeThenKey(input, key);
	if (escaped) {
		return escaped;
	}

	if (characters.length <= 1 || key.meta) {
		return [{input, key, name: keyName(input, key)}];
	}

	return characters.map(character => single(character));
}
