import type {LogLevel} from '../../../app/activity-log.js';

/**
 * The focused log's scroll position (lines above the newest; 0 follows new entries), its text
 * filter and its level filter, as a reducer a burst of keys applies in order.
 */
export type LogLevelFilter = 'all' | 'warn' | 'error';
export type LogViewState = {offset: number; filter: string; filtering: boolean; level: LogLevelFilter};

export type LogViewAction
	= | {type: 'scroll'; by: number; max: number}
		| {type: 'filterStart'}
		| {type: 'filterType'; text: string}
		| {type: 'filterErase'}
		| {type: 'filterKeep'}
		| {type: 'filterClear'}
		| {type: 'level'};

export const initialLogView: LogViewState = {offset: 0, filter: '', filtering: false, level: 'all'};

export const levelsShown: Record<LogLevelFilter, LogLevel[]> = {all: ['info', 'ok', 'warn', 'error'], warn: ['warn', 'error'], error: ['error']};
const nextLevel: Record<LogLevelFilter, LogLevelFilter> = {all: 'warn', warn: 'error', error: 'all'};

export function logViewReducer(state: LogViewState, action: LogViewAction): LogViewState {
	switch (action.type) {
		case 'scroll': {
			const offset = Math.max(0, Math.min(action.max, Math.min(state.offset, action.max) + action.by));
			return offset === state.offset ? state : {...state, offset};
		}

		case 'filterStart': {
			return {...state, filtering: true};
		}

		case 'filterType': {
			return {...state, filter: state.filter + action.text, offset: 0};
		}

		case 'filterErase': {
			return {...state, filter: [...state.filter].slice(0, -1).join(''), offset: 0};
		}

		case 'filterKeep': {
			return {...state, filtering: false};
		}

		case 'filterClear': {
			return {...state, filter: '', filtering: false, offset: 0};
		}

		case 'level': {
			return {...state, level: nextLevel[state.level], offset: 0};
		}
	}
}
