import {useState} from 'react';
import {is, printable, type KeyEvent} from '../keymap/dispatcher.js';
import {useRemembered} from '../state/ui-context.js';

/**
 * Cursor and `/` filter for a list: arrow keys, j/k, PgUp/PgDn, Home/End; while the filter is
 * being typed every key goes to it (Enter keeps it, Esc clears it).
 */
export type ListState<T> = {
	/** The items the filter lets through. */
	items: T[];
	cursor: number;
	setCursor: (cursor: number) => void;
	filter: string;
	filtering: boolean;
	handle: (event: KeyEvent) => boolean;
};

export function matchesFilter(filter: string, ...fields: Array<string | number | undefined>): boolean {
	if (!filter) {
		return true;
	}

	const needle = filter.toLowerCase();
	return fields.some(field => field !== undefined && String(field).toLowerCase().includes(needle));
}

export function useList<T>(id: string, all: readonly T[], page: number, fields: (item: T) => Array<string | number | undefined>): ListState<T> {
	const [rawCursor, setCursor] = useRemembered(`${id}.cursor`, 0);
	const [filter, setFilter] = useRemembered(`${id}.filter`, '');
	const [filtering, setFiltering] = useState(false);
	const items = filter ? all.filter(item => matchesFilter(filter, ...fields(item))) : [...all];
	const count = items.length;
	const cursor = Math.max(0, Math.min(rawCursor, count - 1));
	const clamp = (to: number) => Math.max(0, Math.min(to, count - 1));
	// Updates are relative to the latest state: keys can arrive faster than frames (paste,
	// key repeat, a slow link), and a closure's copy would drop some.
	const moveBy = (step: number) => {
		setCursor(previous => clamp(Math.min(previous, count - 1) + step));
	};

	const move = (to: number) => {
		setCursor(clamp(to));
	};

	const handle = (event: KeyEvent): boolean => {
		if (filtering) {
			switch (event.name) {
				case 'escape': {
					setFiltering(false);
					setFilter('');

					break;
				}

				case 'return':
				case 'down':
				case 'up': {
					setFiltering(false);

					break;
				}

				case 'backspace': {
					setFilter(previous => [...previous].slice(0, -1).join(''));

					break;
				}

				default: {
					const text = printable(event);
					if (text) {
						setFilter(previous => previous + text);
						setCursor(0);
					}
				}
			}

			return true;
		}

		if (is('list.up', event)) {
			moveBy(-1);
		} else if (is('list.down', event)) {
			moveBy(1);
		} else if (is('list.pageUp', event)) {
			moveBy(-Math.max(1, page - 1));
		} else if (is('list.pageDown', event)) {
			moveBy(Math.max(1, page - 1));
		} else if (is('list.top', event)) {
			move(0);
		} else if (is('list.bottom', event)) {
			move(count - 1);
		} else if (is('list.filter', event)) {
			setFiltering(true);
		} else if ((event.name === 'escape' || event.name === 'q') && filter) {
			setFilter('');
		} else {
			return false;
		}

		return true;
	};

	return {items, cursor, setCursor: move, filter, filtering, handle};
}
