import {printable, type KeyEvent} from '../../keymap/dispatcher.js';

/**
 * Editing a one-line value: printable keys append, Backspace removes, Ctrl+U clears. Returns an
 * updater for setState (keys may arrive faster than renders), or undefined if not an edit key.
 */
export function textEdit(event: KeyEvent): ((value: string) => string) | undefined {
	if (event.name === 'backspace') {
		return value => [...value].slice(0, -1).join('');
	}

	if (event.name === 'ctrl+u') {
		return () => '';
	}

	const text = printable(event);
	return text === undefined ? undefined : value => value + text;
}

export function shownValue(value: string, mask: boolean, cursor: string): string {
	return (mask ? '*'.repeat([...value].length) : value) + cursor;
}
