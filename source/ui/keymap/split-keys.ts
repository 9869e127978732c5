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

export function splitKeys(input: string, key: Key): KeyEvent[] {
	const characters = [...input];
	if (characters.length <= 1 || key.meta) {
		return [{input, key, name: keyName(input, key)}];
	}

	return characters.map(character => single(character));
}
