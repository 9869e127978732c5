import {useMemo} from 'react';
import {Box} from 'ink';
import {diffEntries, type DiffItem} from '../../core/browse.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useList} from '../hooks/use-list.js';
import {useGeneration} from '../hooks/use-generation.js';
import {priority, useKeyLayer} from '../keymap/dispatcher.js';
import type {GenerationRef} from '../state/ui-state.js';
import {ListView} from '../components/lists/list-view.js';
import {Filler, Row, column, type Segment} from '../components/row.js';
import {formatBytes, formatCount} from '../../text/format.js';
import type {ViewProps} from './drives-view.js';

function sizeText(item: DiffItem, arrow: string): string {
	switch (item.kind) {
		case 'changed': {
			return `${formatBytes(item.sizeBefore ?? 0)} ${arrow} ${formatBytes(item.sizeAfter ?? 0)}`;
		}

		case 'added': {
			return formatBytes(item.sizeAfter ?? 0);
		}

		case 'removed': {
			return formatBytes(item.sizeBefore ?? 0);
		}

		default: {
			return '';
		}
	}
}

/** What changed between two generations: added, changed, removed, metadata; suspect ones loudly. */
export function DiffTab({before, after, tabId, width, height, focused}: ViewProps & {before: GenerationRef; after: GenerationRef; tabId: string}) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const a = useGeneration(before);
	const b = useGeneration(after);
	const diff = useMemo(() => (a.generation && b.generation ? diffEntries(a.generation.entries, b.generation.entries) : undefined), [a.generation, b.generation]);
	const items: DiffItem[] = diff ? [...diff.added, ...diff.changed, ...diff.removed, ...diff.metadata] : [];
	const list = useList(tabId, items, height - 3, item => [item.path, item.kind]);
	useKeyLayer(priority.panel, event => list.handle(event), focused);
	const title: Segment[] = [{text: ` ${before.label} #${before.seq} ${symbols.arrowRight} ${after.label} #${after.seq}`, bold: true}];
	const suspect = snapshot.timeline.find(row => row.generation.id === after.generationId)?.generation;
	const error = a.error ?? b.error;
	if (!diff) {
		return (
			<Box flexDirection='column' width={width} height={height}>
				<Row width={width} segments={title}/>
				<Row width={width} segments={[{text: ` ${error ?? t('browse.loading')}`, color: error ? 'bad' : 'muted'}]}/>
				<Filler count={height - 2} width={width}/>
			</Box>
		);
	}

	const counts: Segment[] = [
		{text: ` ${symbols.added} ${t('diff.added', {count: formatCount(diff.added.length)})}  `, color: 'ok'},
		{text: `${symbols.changed} ${t('diff.changed', {count: formatCount(diff.changed.length)})}  `, color: 'warn'},
		{text: `${symbols.removed} ${t('diff.removed', {count: formatCount(diff.removed.length)})}  `, color: 'bad'},
		{text: `${t('diff.metadata', {count: formatCount(diff.metadata.length)})}`, color: 'muted'},
	];
	const word = {added: t('diff.kind.added'), changed: t('diff.kind.changed'), removed: t('diff.kind.removed'), metadata: t('diff.kind.metadata')};
	const glyph = {added: symbols.added, changed: symbols.changed, removed: symbols.removed, metadata: ' '};
	const color = {added: 'ok', changed: 'warn', removed: 'bad', metadata: 'muted'} as const;
	const render = (item: DiffItem, w: number): Segment[] => {
		const size = sizeText(item, symbols.arrowRight);
		return [
			{text: `${glyph[item.kind]} ${column(word[item.kind], 8)}`, color: color[item.kind]},
			{text: column(item.path, Math.max(10, w - 34))},
			{text: ` ${size}`, color: 'muted'},
		];
	};

	const warning = suspect?.suspect ? [{text: ` ${symbols.warn} ${t('diff.suspect', {reasons: (suspect.suspectReasons ?? []).join('; ')})}`, color: 'bad' as const, bold: true}] : undefined;
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={title}/>
			<Row width={width} segments={warning ?? counts}/>
			<ListView items={list.items} cursor={list.cursor} width={width} height={height - 2} render={render} filter={list.filter} filtering={list.filtering} focused={focused} empty={t('diff.same')}/>
		</Box>
	);
}
