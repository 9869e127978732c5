/**
 * A list's cursor and `/` filter as a reducer (the state half of use-list): pure, so a burst of
 * keys applies one action after another on the latest state, whatever React has rendered.
 */
export type ListCursorState = {cursor: number; filter: string; filtering: boolean};

export type ListAction
	= | {type: 'move'; by: number; count: number}
		| {type: 'moveTo'; to: number; count: number}
		| {type: 'filterStart'}
		| {type: 'filterType'; text: string}
		| {type: 'filterErase'}
		| {type: 'filterKeep'}
		| {type: 'filterClear'};

export const initialListState: ListCursorState = {cursor: 0, filter: '', filtering: false};

const clamp = (to: number, count: number) => Math.max(0, Math.min(to, count - 1));

export function listReducer(state: ListCursorState, action: ListAction): ListCursorState {
	switch (action.type) {
		case 'move': {
			const cursor = clamp(clamp(state.cursor, action.count) + action.by, action.count);
			return cursor === state.cursor ? state : {...state, cursor};
		}

		case 'moveTo': {
			const cursor = clamp(action.to, action.count);
			return cursor === state.cursor ? state : {...state, cursor};
		}

		case 'filterStart': {
			return {...state, filtering: true};
		}

		case 'filterType': {
			return {...state, filter: state.filter + action.text, cursor: 0};
		}

		case 'filterErase': {
			return {...state, filter: [...state.filter].slice(0, -1).join('')};
		}

		case 'filterKeep': {
			return {...state, filtering: false};
		}

		case 'filterClear': {
			return {...state, filter: '', filtering: false};
		}
	}
}
