import {printable, type KeyEvent} from '../../keymap/dispatcher.js';

/** Editing a one-line value: printable keys append, Backspace removes, Ctrl+U clears. */
export function editText(value: string, event: KeyEvent): string | undefined {
	if (event.name === 'backspace') {
		return [...value].slice(0, -1).join('');
	}

	if (event.name === 'ctrl+u') {
		return '';
	}

	const text = printable(event);
	return text === undefined ? undefined : value + text;
}

export function shownValue(value: string, mask: boolean, cursor: string): string {
	return (mask ? '*'.repeat([...value].length) : value) + cursor;
}
