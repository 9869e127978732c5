import type {Key} from 'ink';

/** One name per key press, in the keymap's vocabulary ('ctrl+p', 'shift+tab', 'up', 'q'). */
export type KeyEvent = {input: string; key: Key; name: string};

export function keyName(input: string, key: Key): string {
	if (key.upArrow) {
		return 'up';
	}

	if (key.downArrow) {
		return 'down';
	}

	if (key.leftArrow) {
		return 'left';
	}

	if (key.rightArrow) {
		return 'right';
	}

	if (key.pageUp) {
		return 'pageup';
	}

	if (key.pageDown) {
		return 'pagedown';
	}

	if (key.home) {
		return 'home';
	}

	if (key.end) {
		return 'end';
	}

	if (key.return) {
		return 'return';
	}

	if (key.escape) {
		return 'escape';
	}

	if (key.tab) {
		return key.shift ? 'shift+tab' : 'tab';
	}

	// Terminals send DEL (0x7f) for Backspace and Ink reports that as delete: one key for both.
	if (key.backspace || key.delete) {
		return 'backspace';
	}

	if (key.ctrl && input) {
		return `ctrl+${input.toLowerCase()}`;
	}

	if (input === ' ') {
		return 'space';
	}

	return input;
}

/** No modifier, no special key: what a plain character press reports. */
export const none: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

const named: Record<string, Partial<Key>> = {
	up: {upArrow: true}, down: {downArrow: true}, left: {leftArrow: true}, right: {rightArrow: true},
	pageup: {pageUp: true}, pagedown: {pageDown: true}, home: {home: true}, end: {end: true},
	return: {return: true}, escape: {escape: true}, tab: {tab: true}, 'shift+tab': {tab: true, shift: true}, backspace: {backspace: true},
};

/** The event a key name stands for: what the palette replays to run an entry the way its key does. */
export function keyEvent(name: string): KeyEvent {
	if (named[name]) {
		return {input: '', key: {...none, ...named[name]}, name};
	}

	if (name.startsWith('ctrl+')) {
		return {input: name.slice(5), key: {...none, ctrl: true}, name};
	}

	const input = name === 'space' ? ' ' : name;
	return {input, key: {...none, shift: /^[A-Z]$/.test(input)}, name};
}
