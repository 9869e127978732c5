import {Box} from 'ink';
import type {Job} from '../../../app/job-queue.js';
import type {LogEntry, LogLevel} from '../../../app/activity-log.js';
import {wrapText} from '../../../text/wrap.js';
import {textWidth} from '../../../text/format.js';
import {useI18n, isMessageKey, type Translate} from '../../i18n/i18n.js';
import {useTheme, type Token} from '../../theme/theme.js';
import {useLog} from '../../hooks/use-live.js';
import {is, priority, printable, useKeyLayer, type KeyEvent} from '../../keymap/dispatcher.js';
import {useSyncedReducer} from '../../state/use-synced-reducer.js';
import {Filler, Row, type Segment} from '../row.js';
import {jobTitle} from '../job-lines.js';
import {initialLogView, logViewReducer, levelsShown, type LogViewAction, type LogViewState} from './log-view-state.js';

/**
 * The log, read in the bottom panel. Unfocused it shows the newest lines under the job; focused
 * (Tab) it grows to half the screen and can be scrolled, filtered by text (/) and by level (f),
 * with long messages wrapped. Entries of earlier days come from the log kept on disk, under a
 * line naming their day.
 */
export function logText(entry: LogEntry, t: Translate): string {
	return messageText(entry.message, t);
}

/** A log message (a job's outcome, say) in the UI's language. */
export function messageText(message: LogEntry['message'], t: Translate): string {
	if ('text' in message) {
		return message.text;
	}

	if (!isMessageKey(message.key)) {
		return message.key;
	}

	// Kinds, levels and details travel as engine words; say them in the UI's language.
	const params = {...message.params};
	if (typeof params['kind'] === 'string') {
		params['job'] = jobTitleOf(params, t);
	}

	if (params['level'] === 'structure' || params['level'] === 'full') {
		params['level'] = t(`verify.${params['level']}`);
	}

	return t(message.key, params);
}

function jobTitleOf(params: Record<string, string | number>, t: Translate): string {
	return jobTitle({kind: params['kind'] as Job['kind'], label: String(params['label'] ?? ''), detail: String(params['detail'] ?? '')}, t);
}

function clock(time: number): string {
	const date = new Date(time);
	return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function dayOf(time: number): string {
	const date = new Date(time);
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

const levelColor: Record<LogLevel, Token | undefined> = {info: undefined, ok: 'ok', warn: 'warn', error: 'bad'};

type Line = {key: string; segments: Segment[]};

/** Every entry as display lines: a day line where the day changes, then the message wrapped under its time. */
export function logLines(entries: readonly LogEntry[], width: number, t: Translate, glyphs: Record<LogLevel, string>, today: string): Line[] {
	const lines: Line[] = [];
	let lastDay = '';
	for (const entry of entries) {
		const day = dayOf(entry.time);
		if (day !== lastDay && (lastDay !== '' || day !== today)) {
			lines.push({key: `day-${entry.id}`, segments: [{text: `── ${day} ──`, color: 'muted'}]});
		}

		lastDay = day;
		const color = levelColor[entry.level];
		const prefix = `${clock(entry.time)} ${glyphs[entry.level]} `;
		const indent = ' '.repeat(textWidth(prefix));
		const body = wrapText(logText(entry, t), Math.max(10, width - textWidth(prefix)));
		for (const [index, text] of (body.length > 0 ? body : ['']).entries()) {
			lines.push({key: `${entry.id}-${index}`, segments: [
				{text: index === 0 ? prefix : indent, color: index === 0 ? 'muted' : undefined},
				{text, ...(color ? {color} : {})},
			]});
		}
	}

	return lines;
}

function useGlyphs(): Record<LogLevel, string> {
	const {symbols} = useTheme();
	return {info: ' ', ok: symbols.ok, warn: symbols.warn, error: symbols.bad};
}

/** The newest lines, for the panel when it is not focused. */
export function LogTail({width, height, now = Date.now()}: {width: number; height: number; now?: number}) {
	const {t} = useI18n();
	const glyphs = useGlyphs();
	const log = useLog();
	// Only the tail is drawn: wrap no more entries than can show.
	const lines = logLines(log.slice(-height), width, t, glyphs, dayOf(now)).slice(-height);
	return (
		<Box flexDirection='column' width={width} height={height}>
			{lines.map(line => <Row key={line.key} width={width} segments={line.segments}/>)}
			<Filler count={height - lines.length} width={width}/>
		</Box>
	);
}

/** While the filter is being typed every key goes to it: Enter keeps it, Esc clears it. */
function typeFilter(event: KeyEvent, dispatch: (action: LogViewAction) => void): void {
	switch (event.name) {
		case 'return': {
			dispatch({type: 'filterKeep'});
			break;
		}

		case 'escape': {
			dispatch({type: 'filterClear'});
			break;
		}

		case 'backspace': {
			dispatch({type: 'filterErase'});
			break;
		}

		default: {
			const text = printable(event);
			if (text !== undefined) {
				dispatch({type: 'filterType', text});
			}
		}
	}
}

function matches(entry: LogEntry, state: LogViewState, t: Translate): boolean {
	if (!levelsShown[state.level].includes(entry.level)) {
		return false;
	}

	return state.filter === '' || logText(entry, t).toLowerCase().includes(state.filter.toLowerCase());
}

/** The focused log: scrolled, filtered, wrapped. */
export function LogPanel({width, height, active, now = Date.now()}: {width: number; height: number; active: boolean; now?: number}) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const glyphs = useGlyphs();
	const log = useLog();
	const view = useSyncedReducer(logViewReducer, () => initialLogView);
	const body = height - 1;
	const lines = logLines(log.filter(entry => matches(entry, view.state, t)), width, t, glyphs, dayOf(now));
	const maxOffset = Math.max(0, lines.length - body);
	useKeyLayer(priority.panel, event => {
		const state = view.read();
		if (state.filtering) {
			typeFilter(event, view.dispatch);
			return true;
		}

		const step = (by: number) => {
			view.dispatch({type: 'scroll', by, max: maxOffset});
		};

		if (is('list.up', event)) {
			step(1);
		} else if (is('list.down', event)) {
			step(-1);
		} else if (is('list.pageUp', event)) {
			step(Math.max(1, body - 1));
		} else if (is('list.pageDown', event)) {
			step(-Math.max(1, body - 1));
		} else if (is('list.top', event)) {
			step(lines.length);
		} else if (is('list.bottom', event)) {
			step(-lines.length);
		} else if (is('log.filter', event)) {
			view.dispatch({type: 'filterStart'});
		} else if (is('log.level', event)) {
			view.dispatch({type: 'level'});
		} else {
			return false;
		}

		return true;
	}, active);

	const offset = Math.min(view.state.offset, maxOffset);
	const end = lines.length - offset;
	const visible = lines.slice(Math.max(0, end - body), end);
	const above = Math.max(0, end - body);
	const notes: Segment[] = [
		{text: `${symbols.horizontal} ${t('panel.log')} `, bold: true, color: 'accent'},
		...(view.state.filtering || view.state.filter ? [{text: `/${view.state.filter}${view.state.filtering ? '_' : ''} `, bold: true}] : []),
		...(view.state.level === 'all' ? [] : [{text: `${t(`log.level.${view.state.level}`)} `, color: 'warn' as const}]),
		...(above > 0 ? [{text: `${symbols.arrowUp} ${t('list.more', {count: above})} `, color: 'muted' as const}] : []),
		...(offset > 0 ? [{text: `${symbols.arrowDown} ${t('list.more', {count: offset})} `, color: 'muted' as const}] : []),
		{text: symbols.horizontal.repeat(width), color: 'muted', clip: true},
	];
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={notes}/>
			{visible.length === 0 ? <Row width={width} segments={[{text: `  ${t('log.none')}`, color: 'muted'}]}/> : null}
			{visible.map(line => <Row key={line.key} width={width} segments={line.segments}/>)}
			<Filler count={body - Math.max(visible.length, 1)} width={width}/>
		</Box>
	);
}
