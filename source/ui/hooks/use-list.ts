import {is, printable, type Commands, type KeyEvent} from '../keymap/dispatcher.js';
import {useRememberedReducer} from '../state/ui-context.js';
import {initialListState, listReducer, type ListAction} from './use-list-state.js';

/**
 * Cursor and `/` filter for a list (the input half; the state is use-list-state): arrow keys,
 * j/k, PgUp/PgDn, Home/End; while the filter is being typed every key goes to it (Enter keeps it,
 * Esc clears it). The handler reads the state as of the last key, not as of the last frame.
 */
export type ListState<T> = {
	/** The items the filter lets through. */
	items: T[];
	cursor: number;
	setCursor: (cursor: number) => void;
	filter: string;
	filtering: boolean;
	handle: (event: KeyEvent) => boolean;
	/** The list's keymap entries as actions (what the palette runs; keys go through `handle`). */
	commands: Commands;
};

export function matchesFilter(filter: string, ...fields: Array<string | number | undefined>): boolean {
	if (!filter) {
		return true;
	}

	const needle = filter.toLowerCase();
	return fields.some(field => field !== undefined && String(field).toLowerCase().includes(needle));
}

export function useList<T>(id: string, all: readonly T[], page: number, fields: (item: T) => Array<string | number | undefined>): ListState<T> {
	// The cursor and the filter are kept while the view is away; typing the filter is not.
	const {state, dispatch, read} = useRememberedReducer(`${id}.list`, listReducer, remembered => ({...initialListState, ...remembered, filtering: false}));
	const itemsFor = (filter: string) => filter ? all.filter(item => matchesFilter(filter, ...fields(item))) : [...all];
	const items = itemsFor(state.filter);
	const cursor = Math.max(0, Math.min(state.cursor, items.length - 1));
	const handle = (event: KeyEvent): boolean => {
		const latest = read();
		const action = latest.filtering ? filterAction(event) : listAction(event, latest.filter, page, itemsFor(latest.filter).length);
		if (!action) {
			return false;
		}

		if (action !== 'consumed') {
			dispatch(action);
		}

		return true;
	};

	const page1 = Math.max(1, page - 1);
	const move = (by: number) => () => {
		dispatch({type: 'move', by, count: itemsFor(read().filter).length});
	};

	const moveTo = (to: (count: number) => number) => () => {
		const count = itemsFor(read().filter).length;
		dispatch({type: 'moveTo', to: to(count), count});
	};

	const commands: Commands = {
		'list.up': move(-1),
		'list.down': move(1),
		'list.pageUp': move(-page1),
		'list.pageDown': move(page1),
		'list.top': moveTo(() => 0),
		'list.bottom': moveTo(count => count - 1),
		'list.filter'() {
			dispatch({type: 'filterStart'});
		},
	};
	return {items, cursor, setCursor(to) {
		dispatch({type: 'moveTo', to, count: items.length});
	}, filter: state.filter, filtering: state.filtering, handle, commands};
}

/** While the filter is typed: every key is the filter's, even one that means nothing to it. */
function filterAction(event: KeyEvent): ListAction | 'consumed' {
	switch (event.name) {
		case 'escape': {
			return {type: 'filterClear'};
		}

		case 'return':
		case 'down':
		case 'up': {
			return {type: 'filterKeep'};
		}

		case 'backspace': {
			return {type: 'filterErase'};
		}

		default: {
			const text = printable(event);
			return text ? {type: 'filterType', text} : 'consumed';
		}
	}
}

function listAction(event: KeyEvent, filter: string, page: number, count: number): ListAction | undefined {
	const step = Math.max(1, page - 1);
	if (is('list.up', event)) {
		return {type: 'move', by: -1, count};
	}

	if (is('list.down', event)) {
		return {type: 'move', by: 1, count};
	}

	if (is('list.pageUp', event)) {
		return {type: 'move', by: -step, count};
	}

	if (is('list.pageDown', event)) {
		return {type: 'move', by: step, count};
	}

	if (is('list.top', event)) {
		return {type: 'moveTo', to: 0, count};
	}

	if (is('list.bottom', event)) {
		return {type: 'moveTo', to: count - 1, count};
	}

	if (is('list.filter', event)) {
		return {type: 'filterStart'};
	}

	if ((event.name === 'escape' || event.name === 'q') && filter) {
		return {type: 'filterClear'};
	}

	return undefined;
}
