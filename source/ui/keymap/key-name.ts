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
