import {Box} from 'ink';
import type {DrillEntry} from '../../app/operations/drill/history.js';
import {useI18n, type Translate} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useDrillHistory} from '../hooks/use-drill-history.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {ListView} from '../components/lists/list-view.js';
import {DetailPane} from '../components/detail-pane.js';
import {column, type Segment} from '../components/row.js';
import {wrapAll} from '../components/wrap-segments.js';
import type {Symbols} from '../../text/symbols.js';
import {formatBytes, formatCount, formatDuration, formatTime} from '../../text/format.js';
import {lastValues, sparkline} from '../../text/sparkline.js';
import {ago} from '../age.js';
import type {ViewProps} from './drives-view.js';

/**
 * Every drill and test restore, newest first (the reports kept here and sealed on the connected
 * media, the test restores this machine recorded): verdict, RTO, and the RTO trend over the last
 * drills. Enter opens the selected drill's report, n starts the drill a recovery would need,
 * s shows what earlier restores left in the scratch folder.
 */
const trendLength = 12;

function rowOf(entry: DrillEntry, wide: boolean, t: Translate, symbols: Symbols): Segment[] {
	const time = formatTime(entry.time);
	return [
		{text: column(wide ? time : time.slice(5), wide ? 17 : 12)},
		{text: column(entry.label, wide ? 10 : 7), bold: true},
		{text: column(t(entry.kind === 'drill' ? 'drill.kind.drill' : 'drill.kind.test'), 8), color: 'muted'},
		entry.passed ? {text: column(`${symbols.ok} OK`, 7), color: 'ok'} : {text: column(`${symbols.bad} NG`, 7), color: 'bad', bold: true},
		{text: column(formatDuration(entry.rtoMs), 8)},
		{text: column(formatCount(entry.files), 7)},
		{text: formatBytes(entry.bytes)},
	];
}

function verdictLine(entry: DrillEntry, t: Translate, symbols: Symbols): Segment[] {
	const reasons = entry.report?.verdict.reasons ?? [];
	if (entry.passed) {
		return [{text: `${symbols.ok} ${t('drill.detail.ok', {files: formatCount(entry.files)})}`, color: 'ok'}];
	}

	if (reasons.length > 0 && entry.mismatches === 0) {
		return [{text: `${symbols.bad} ${t('drill.detail.failed', {reasons: reasons.map(reason => `${reason.code}${reason.detail ? ` (${reason.detail})` : ''}`).join('; ')})}`, color: 'bad', bold: true}];
	}

	return [{text: `${symbols.bad} ${t('drill.detail.bad', {count: entry.mismatches})}`, color: 'bad', bold: true}];
}

/** Where the restored copy is: only named while it is still there (it holds patient data). */
function copyLine(entry: DrillEntry, t: Translate): Segment[] {
	if (entry.into && entry.intoPresent) {
		return [{text: t('drill.detail.kept', {into: entry.into}), color: 'warn'}];
	}

	if (entry.kind === 'drill') {
		return [{text: t('drill.detail.deleted'), color: 'muted'}];
	}

	return [{text: t('drill.detail.intoGone'), color: 'muted'}];
}

function detailsOf(entry: DrillEntry, t: Translate, symbols: Symbols): Segment[][] {
	const generation = entry.generation.seq === undefined ? entry.generation.id.slice(0, 12) : `#${entry.generation.seq} ${entry.generation.id.slice(0, 8)}`;
	const timing = entry.report
		? t('drill.detail.rto', {rto: formatDuration(entry.rtoMs), steps: entry.report.steps.filter(step => step.id !== 'sign-off').map(step => `${t(`drill.step.${step.id}`)} ${formatDuration(step.durationMs)}`).join(', '), ago: ago(entry.time, t)})
		: t('drill.detail.timing', {restore: formatDuration(entry.restoreMs ?? entry.rtoMs), verify: formatDuration(entry.verifyMs ?? 0), ago: ago(entry.time, t)});
	const report = entry.report
		? [{text: t('drill.detail.report', {file: entry.reportFiles.html ?? entry.reportFiles.onMedium ?? ''}), color: 'muted' as const}]
		: [{text: t('drill.detail.noReport'), color: 'muted' as const}];
	return [
		[{text: t('drill.detail.generation', {label: entry.label, generation, time: formatTime(entry.generation.time)})}],
		verdictLine(entry, t, symbols),
		[{text: timing}],
		report,
		copyLine(entry, t),
	];
}

function trendLine(entries: DrillEntry[], width: number, t: Translate, unicode: boolean): Segment[] | undefined {
	const drills = entries.filter(entry => entry.kind === 'drill').reverse();
	if (drills.length < 2) {
		return undefined;
	}

	const values = lastValues(drills.map(entry => entry.rtoMs), Math.min(trendLength, Math.max(2, width - 40)));
	return [
		{text: `${t('drill.trend', {count: values.length})} `, color: 'muted'},
		{text: sparkline(values, unicode), color: 'accent', bold: true},
		{text: `  ${formatDuration(Math.min(...values))}–${formatDuration(Math.max(...values))}, ${t('drill.trendNewest', {rto: formatDuration(values.at(-1)!)})}`, color: 'muted'},
	];
}

export function DrillsView({width, height, focused}: ViewProps) {
	const {t} = useI18n();
	const {symbols, capabilities} = useTheme();
	const intents = useIntents();
	const data = useDrillHistory();
	const entries = data.history?.entries ?? [];
	const wide = width >= 110;
	const page = Math.max(3, Math.min(entries.length + 2, height - 8));
	const list = useList('drills', entries, page - 1, entry => [entry.label, entry.time, entry.kind]);
	const current = list.items[list.cursor];
	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('drills.open', event)) {
			if (current?.report) {
				intents.openReport(current.report);
			}

			return true;
		}

		if (is('drills.new', event)) {
			intents.newDrill();
			return true;
		}

		if (is('drills.scratch', event)) {
			intents.openScratch();
			return true;
		}

		return false;
	}, focused);

	const header: Segment[] = [{text: [
		column(t('drill.col.time'), wide ? 17 : 12),
		column(t('gen.col.medium'), wide ? 10 : 7),
		column(t('drill.col.kind'), 8),
		column(t('drill.col.result'), 7),
		column(t('drill.col.rto'), 8),
		column(t('gen.col.files'), 7),
		t('gen.col.size'),
	].join('')}];
	const leftovers = data.scratch?.entries ?? [];
	const footer: Segment[][] = [
		...[trendLine(entries, width, t, capabilities.unicode)].filter(line => line !== undefined),
		...(leftovers.length > 0 ? [[{text: `${symbols.warn} ${t('drill.scratchLeft', {count: leftovers.length, size: formatBytes(leftovers.reduce((sum, entry) => sum + entry.bytes, 0))})}`, color: 'warn' as const}]] : []),
		...(data.history && data.history.problems.length > 0 ? [[{text: `${symbols.warn} ${t('drill.problems', {count: data.history.problems.length, first: data.history.problems[0]})}`, color: 'warn' as const}]] : []),
		...(data.error ? [[{text: data.error, color: 'bad' as const}]] : []),
	];
	const body = current ? detailsOf(current, t, symbols) : [[{text: t(data.loading ? 'drill.loading' : 'drill.none'), color: 'muted' as const}]];
	// Wrapped, never cut: the details may take all but a few rows of the list.
	const lines = wrapAll([...body, ...footer], width - 1, capabilities.unicode);
	const listHeight = Math.max(Math.min(4, page), Math.min(page, height - lines.length - 1));
	return (
		<Box flexDirection='column' width={width} height={height}>
			<ListView
				items={list.items}
				cursor={list.cursor}
				width={width}
				height={listHeight}
				header={header}
				render={entry => rowOf(entry, wide, t, symbols)}
				filter={list.filter}
				filtering={list.filtering}
				focused={focused}
				empty={t(data.loading ? 'drill.loading' : 'drill.empty')}
			/>
			<DetailPane width={width} height={height - listHeight} lines={lines}/>
		</Box>
	);
}
