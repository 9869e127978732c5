import {useRef} from 'react';
import {Box} from 'ink';
import type {RestoreRunResult} from '../../app/operations/restore.js';
import type {TimelineRow} from '../../app/timeline.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useActiveJobId} from '../hooks/use-active-job.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useUi} from '../state/ui-context.js';
import {refOf} from '../commands/registry.js';
import {ListView} from '../components/lists/list-view.js';
import {Row, type Segment} from '../components/row.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {generationColumns} from './generation-columns.js';
import {JobStatus} from './job-status.js';
import type {ViewProps} from './drives-view.js';

/**
 * Test restore: a generation (or one folder of it) into a fresh scratch folder, every restored
 * byte checked against the manifest, the restore time (RTO) measured, the drill recorded.
 */
export function restoreResultLines(data: RestoreRunResult, t: ReturnType<typeof useI18n>['t'], symbols: {ok: string; bad: string}): Segment[][] {
	const ok = data.verified && data.mismatches.length === 0 && data.refused.length === 0;
	const lines: Segment[][] = [
		ok
			? [{text: `${symbols.ok} `, color: 'ok'}, {text: t('restore.ok', {files: formatCount(data.files), bytes: formatBytes(data.bytes)}), color: 'ok', bold: true}]
			: [{text: `${symbols.bad} `, color: 'bad'}, {text: t('restore.bad', {mismatches: data.mismatches.length, refused: data.refused.length}), color: 'bad', bold: true}],
		[{text: t('restore.rto', {rto: formatDuration(data.restoreMs), verify: formatDuration(data.verifyMs)}), bold: true}],
		[{text: t('restore.into', {into: data.into}), color: 'muted'}],
	];
	for (const problem of [...data.mismatches, ...data.refused]) {
		lines.push([{text: `  ${symbols.bad} ${problem.path}: ${problem.reason}`, color: 'bad'}]);
	}

	return lines;
}

export function RestoreView({width, height, focused}: ViewProps) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const {state, dispatch} = useUi();
	const online = snapshot.timeline.filter(row => row.online);
	const listHeight = Math.min(online.length + 1, Math.max(3, Math.floor((height - 4) / 2)));
	const list = useList('restore', online, listHeight, row => [row.label, `#${row.generation.seq}`, row.generation.time]);
	const current: TimelineRow | undefined = list.items[list.cursor];
	const pick = state.restorePick;
	const include = current && pick?.generation.generationId === current.generation.id ? pick.include : undefined;
	const running = useActiveJobId('restore');

	// Coming from Generations or a file browser: put the cursor on the picked generation (during
	// render, so the very next key already acts on it).
	const seenPick = useRef<string | undefined>(undefined);
	const pickKey = pick ? `${pick.generation.generationId}:${pick.include ?? ''}` : undefined;
	if (pickKey !== seenPick.current) {
		seenPick.current = pickKey;
		const index = pick ? list.items.findIndex(row => row.generation.id === pick.generation.generationId) : -1;
		if (index >= 0 && index !== list.cursor) {
			list.setCursor(index);
		}
	}

	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if ((is('restore.start', event) || is('list.open', event)) && current) {
			intents.restore(refOf(current), include);
			return true;
		}

		if (is('restore.whole', event) && pick?.include) {
			dispatch({type: 'restorePick', pick: {generation: pick.generation}});
			return true;
		}

		if (is('job.cancel', event) && running !== undefined) {
			dispatch({type: 'push', overlay: {kind: 'confirm', title: t('cancel.title'), body: [t('cancel.restoreBody')], onConfirm() {
				intents.cancelJob(running);
			}}});
			return true;
		}

		return false;
	}, focused);

	const wide = width >= 110;
	const statusHeight = Math.max(0, height - listHeight - 4);
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[{text: ` ${t('restore.pick')}`, color: 'muted'}]}/>
			<ListView items={list.items} cursor={list.cursor} width={width} height={listHeight} render={row => generationColumns(row, t, symbols, wide)} filter={list.filter} filtering={list.filtering} focused={focused} empty={t('restore.noneOnline')}/>
			<Row width={width} segments={current
				? [
					{text: ` ${symbols.enter} `, bold: true, color: 'accent'},
					{text: t('restore.startHint', {label: current.label, seq: current.generation.seq})},
					{text: include ? ` ${t('restore.subtree', {path: include})}` : ` ${t('restore.whole')}`, bold: Boolean(include)},
					{text: include ? `  (x ${t('restore.clearSubtree')})` : '', color: 'muted'},
				]
				: []}/>
			<Row width={width} segments={[{text: ` ${t('restore.where', {scratch: snapshot.settings.scratch})}`, color: 'muted'}]}/>
			<Row width={width} segments={[{text: symbols.horizontal.repeat(width), color: 'muted', clip: true}]}/>
			<Box flexDirection='column' width={width} height={statusHeight} overflow='hidden'>
				<JobStatus kind='restore' width={width} height={statusHeight} result={job => restoreResultLines(job.outcome?.data as RestoreRunResult, t, symbols)}/>
			</Box>
		</Box>
	);
}
