import {useMemo} from 'react';
import {Box} from 'ink';
import type {Entry} from '../../core/repository/manifest.js';
import {toText} from '../../core/byte-path.js';
import {mtimeIso} from '../../core/browse.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useList} from '../hooks/use-list.js';
import {useGeneration} from '../hooks/use-generation.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useRemembered} from '../state/ui-context.js';
import type {GenerationRef} from '../state/ui-state.js';
import {ListView} from '../components/lists/list-view.js';
import {Filler, Row, column, type Segment} from '../components/row.js';
import {formatBytes, formatCount, formatTime, truncateStart} from '../../text/format.js';
import type {ViewProps} from './drives-view.js';

/** A generation's files, folder by folder: Enter opens a folder, Backspace goes up, r restores. */
type Child = {name: string; path: string; entry: Entry; count?: number};

function childrenByFolder(entries: Entry[]): Map<string, Child[]> {
	const folders = new Map<string, Child[]>();
	for (const entry of entries) {
		const path = toText(entry.path);
		const slash = path.lastIndexOf('/');
		const parent = slash === -1 ? '' : path.slice(0, slash);
		const list = folders.get(parent) ?? [];
		list.push({name: path.slice(slash + 1), path, entry});
		folders.set(parent, list);
	}

	for (const list of folders.values()) {
		for (const child of list) {
			child.count = folders.get(child.path)?.length;
		}

		list.sort((a, b) => Number(b.entry.type === 'dir') - Number(a.entry.type === 'dir') || a.name.localeCompare(b.name));
	}

	return folders;
}

export function BrowseTab({generation: ref, tabId, width, height, focused}: ViewProps & {generation: GenerationRef; tabId: string}) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const intents = useIntents();
	const loaded = useGeneration(ref);
	const folders = useMemo(() => childrenByFolder(loaded.generation?.entries ?? []), [loaded.generation]);
	const [folder, setFolder] = useRemembered(`${tabId}.folder`, '');
	const children = folders.get(folder) ?? [];
	const list = useList(`${tabId}.${folder}`, children, height - 3, child => [child.name]);
	const current = list.items[list.cursor];
	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('list.open', event) || event.name === 'right' || event.name === 'l') {
			if (current?.entry.type === 'dir') {
				setFolder(current.path);
			}

			return true;
		}

		if (is('browse.up', event) && folder) {
			const slash = folder.lastIndexOf('/');
			setFolder(slash === -1 ? '' : folder.slice(0, slash));
			return true;
		}

		if (is('browse.restore', event) && current) {
			intents.pickForRestore(ref, current.path);
			return true;
		}

		return false;
	}, focused);

	const info = loaded.generation?.info;
	const title: Segment[] = [
		{text: ` ${ref.label} #${ref.seq}`, bold: true},
		{text: info ? `  ${formatTime(info.time)} ${symbols.dot} ${formatCount(info.totals.files)} ${t('job.files')} ${symbols.dot} ${formatBytes(info.totals.bytes)}` : '', color: 'muted'},
	];
	const where: Segment[] = [{text: ` /${truncateStart(folder, width - 4)}`, color: 'accent'}];
	if (loaded.loading || loaded.error) {
		return (
			<Box flexDirection='column' width={width} height={height}>
				<Row width={width} segments={title}/>
				<Row width={width} segments={[{text: ` ${loaded.error ?? t('browse.loading')}`, color: loaded.error ? 'bad' : 'muted'}]}/>
				<Filler count={height - 2} width={width}/>
			</Box>
		);
	}

	const render = (child: Child, w: number): Segment[] => {
		const {entry} = child;
		const glyph = entry.type === 'dir' ? symbols.folder : (entry.type === 'symlink' ? symbols.link : ' ');
		const size = entry.type === 'dir' ? t('browse.items', {count: child.count ?? 0}) : formatBytes(entry.size);
		const right = `${column(size, 10)} ${formatTime(mtimeIso(entry))}`;
		return [
			{text: `${glyph} `, color: 'accent'},
			{text: column(entry.type === 'dir' ? `${child.name}/` : child.name, Math.max(8, w - right.length - 3)), bold: entry.type === 'dir'},
			{text: ` ${right}`, color: 'muted'},
		];
	};

	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={title}/>
			<Row width={width} segments={where}/>
			<ListView items={list.items} cursor={list.cursor} width={width} height={height - 2} render={render} filter={list.filter} filtering={list.filtering} focused={focused} empty={t('browse.empty')}/>
		</Box>
	);
}
