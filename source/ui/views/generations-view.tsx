import {Box} from 'ink';
import {groupByTier, type TimelineRow} from '../../app/timeline.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useUi, useRemembered} from '../state/ui-context.js';
import {refOf} from '../commands/registry.js';
import {ListView} from '../components/lists/list-view.js';
import {DetailPane} from '../components/detail-pane.js';
import {Row} from '../components/row.js';
import {generationColumns, generationDetails, generationHeader} from './generation-columns.js';
import type {ViewProps} from './drives-view.js';

/**
 * Every generation of every known medium on one timeline, newest first, online or not. Enter
 * browses its files, Space marks one, d diffs the marked one (or the previous on that medium)
 * against the selected one, r prepares a test restore, t groups them by retention tier (as a prune
 * would keep them). Below the list: which rules keep the selected one, until when, and why a
 * suspect one is suspect.
 */

export function GenerationsView({width, height, focused}: ViewProps) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const {state, dispatch} = useUi();
	const [grouped, setGrouped] = useRemembered('generations.grouped', false);
	const rows = grouped ? groupByTier(snapshot.timeline) : snapshot.timeline;
	const detailRows = height >= 20 ? 5 : 4;
	const listHeight = Math.max(3, height - 2 - detailRows);
	const list = useList('generations', rows, listHeight - 2, row => [row.label, `#${row.generation.seq}`, row.generation.time, row.generation.shortId, row.retention?.tier, row.generation.suspect ? t('gen.suspect') : undefined]);
	const current = list.items[list.cursor];
	const wide = width >= 110;
	const {marked} = state;

	const requireOnline = (row: TimelineRow): boolean => {
		if (!row.online) {
			intents.showError(new Error(t('gen.offline', {label: row.label})));
			return false;
		}

		return true;
	};

	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('gen.tiers', event)) {
			setGrouped(previous => !previous);
			return true;
		}

		if (!current) {
			return false;
		}

		if (is('list.open', event)) {
			if (requireOnline(current)) {
				intents.browse(refOf(current));
			}

			return true;
		}

		if (is('gen.mark', event)) {
			const ref = refOf(current);
			dispatch({type: 'mark', generation: marked?.generationId === ref.generationId ? undefined : ref});
			return true;
		}

		if (is('gen.diff', event)) {
			let before = marked;
			if (!before || before.generationId === current.generation.id) {
				const previous = snapshot.timeline.find(row => row.repositoryId === current.repositoryId && row.generation.seq < current.generation.seq);
				before = previous ? refOf(previous) : undefined;
			}

			if (!before) {
				intents.showError(new Error(t('gen.nothingToDiff')));
				return true;
			}

			const beforeRow = snapshot.timeline.find(row => row.generation.id === before.generationId);
			if (requireOnline(current) && (!beforeRow || requireOnline(beforeRow))) {
				const after = refOf(current);
				const [a, b] = (beforeRow?.generation.time ?? '') <= current.generation.time ? [before, after] : [after, before];
				intents.diff(a, b);
			}

			return true;
		}

		if (is('gen.restore', event)) {
			if (requireOnline(current)) {
				intents.pickForRestore(refOf(current));
			}

			return true;
		}

		return false;
	}, focused);

	const details = current ? generationDetails(current, t, symbols, width - 2) : [];
	const media = new Set(snapshot.timeline.map(row => row.repositoryId)).size;
	const offline = new Set(snapshot.timeline.filter(row => !row.online).map(row => row.repositoryId)).size;
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[
				{text: ` ${t('gen.summary', {count: snapshot.timeline.length, media, offline})}`},
				grouped ? {text: ` ${symbols.dot} ${t('gen.grouped')}`, color: 'accent'} : {text: ''},
				marked ? {text: `  ${symbols.marked} ${t('gen.marked', {label: marked.label, seq: marked.seq})}`, color: 'accent'} : {text: ''},
			]}/>
			<ListView
				items={list.items}
				cursor={list.cursor}
				width={width}
				height={listHeight}
				header={generationHeader(t, wide)}
				render={row => generationColumns(row, t, symbols, wide)}
				filter={list.filter}
				filtering={list.filtering}
				focused={focused}
				marked={row => row.generation.id === marked?.generationId}
				empty={snapshot.ready ? t('gen.none') : t('status.looking')}
			/>
			<DetailPane width={width} height={height - 1 - listHeight} lines={details}/>
		</Box>
	);
}
