import {Box} from 'ink';
import type {DrillRecord} from '../../settings/state.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {ListView} from '../components/lists/list-view.js';
import {DetailPane} from '../components/detail-pane.js';
import {column, type Segment} from '../components/row.js';
import {formatBytes, formatCount, formatDuration, formatTime} from '../../text/format.js';
import {ago} from '../age.js';
import type {ViewProps} from './drives-view.js';

/**
 * Every test restore this machine has run (the guideline's rehearsal), newest first: when, from
 * which medium and generation, whether every byte matched, and the measured restore time. The
 * selected drill's details show below; Enter starts a new drill in the Restore view.
 */
export function DrillsView({width, height, focused}: ViewProps) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const drills = [...snapshot.drills].sort((a, b) => b.time.localeCompare(a.time));
	const listHeight = Math.max(3, Math.min(drills.length + 2, height - 6));
	const list = useList('drills', drills, listHeight - 1, drill => [drill.label, drill.time, drill.into]);
	const current = list.items[list.cursor];
	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('drills.new', event)) {
			intents.newDrill();
			return true;
		}

		return false;
	}, focused);

	const wide = width >= 110;
	const header: Segment[] = [{text: [
		column(t('drill.col.time'), wide ? 17 : 12),
		column(t('gen.col.medium'), wide ? 10 : 7),
		column(t('drill.col.result'), 7),
		column(t('drill.col.rto'), 9),
		column(t('gen.col.files'), 8),
		t('gen.col.size'),
	].join('')}];
	const render = (drill: DrillRecord): Segment[] => {
		const time = formatTime(drill.time);
		return [
			{text: column(wide ? time : time.slice(5), wide ? 17 : 12)},
			{text: column(drill.label, wide ? 10 : 7), bold: true},
			drill.ok ? {text: column(`${symbols.ok} OK`, 7), color: 'ok'} : {text: column(`${symbols.bad} NG`, 7), color: 'bad', bold: true},
			// A drill's RTO is every step; a plain test restore has only its restore time.
			{text: column(formatDuration(drill.rtoMs ?? drill.restoreMs), 9)},
			{text: column(formatCount(drill.files), 8)},
			{text: formatBytes(drill.bytes)},
		];
	};

	const details: Segment[][] = current
		? [
			[{text: t('drill.detail.generation', {label: current.label, generation: current.generation.slice(0, 12), time: formatTime(current.generationTime)})}],
			[{text: t('drill.detail.timing', {restore: formatDuration(current.restoreMs), verify: formatDuration(current.verifyMs), ago: ago(current.time, t)})}],
			current.ok
				? [{text: `${symbols.ok} ${t('drill.detail.ok', {files: formatCount(current.files)})}`, color: 'ok'}]
				: [{text: `${symbols.bad} ${t('drill.detail.bad', {count: current.mismatches})}`, color: 'bad', bold: true}],
			[{text: t('drill.detail.into', {into: current.into}), color: 'muted'}],
		]
		: [[{text: t('drill.none'), color: 'muted'}]];
	return (
		<Box flexDirection='column' width={width} height={height}>
			<ListView
				items={list.items}
				cursor={list.cursor}
				width={width}
				height={listHeight}
				header={header}
				render={render}
				filter={list.filter}
				filtering={list.filtering}
				focused={focused}
				empty={t('drill.empty')}
			/>
			<DetailPane width={width} height={height - listHeight} lines={details}/>
		</Box>
	);
}
