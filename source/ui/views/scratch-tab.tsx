import {useEffect, useState} from 'react';
import {Box} from 'ink';
import type {ScratchEntry, ScratchListing} from '../../app/operations/scratch.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useSession} from '../state/ui-context.js';
import {ListView} from '../components/lists/list-view.js';
import {DetailPane} from '../components/detail-pane.js';
import {column, type Segment} from '../components/row.js';
import {wrapAll} from '../components/wrap-segments.js';
import {formatBytes, formatCount, formatTime} from '../../text/format.js';
import {ageShort} from '../age.js';
import type {ViewProps} from './drives-view.js';

/**
 * What earlier drills and test restores left in the scratch folder (restored patient data), with
 * size and age; x deletes the selected one after a confirmation, through the same operation as
 * `sedai scratch delete`. Symbolic links are shown and never deleted.
 */
export function ScratchTab({tabId, width, height, focused}: ViewProps & {tabId: string}) {
	const {t} = useI18n();
	const {symbols, capabilities} = useTheme();
	const session = useSession();
	const intents = useIntents();
	const [round, setRound] = useState(0);
	const [listing, setListing] = useState<ScratchListing>();
	const [error, setError] = useState<string>();
	useEffect(() => {
		let live = true;
		session.scratch().then(found => {
			if (live) {
				setListing(found);
				setError(undefined);
			}
		}, (error_: unknown) => {
			if (live) {
				setError(error_ instanceof Error ? error_.message : String(error_));
			}
		});
		return () => {
			live = false;
		};
	}, [session, round]);
	const entries = listing?.entries ?? [];
	const listHeight = Math.max(3, Math.min(entries.length + 2, height - 5));
	const list = useList(`${tabId}.entries`, entries, listHeight - 1, entry => [entry.name]);
	const current = list.items[list.cursor];
	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('scratch.delete', event)) {
			if (current && current.kind !== 'link') {
				intents.deleteScratch(current, () => {
					setRound(value => value + 1);
				});
			}

			return true;
		}

		return false;
	}, focused);

	const now = Date.now();
	const header: Segment[] = [{text: [column(t('scratch.col.name'), Math.max(20, width - 30)), column(t('gen.col.size'), 10), column(t('gen.col.files'), 8), t('scratch.col.age')].join('')}];
	const render = (entry: ScratchEntry): Segment[] => [
		{text: column(entry.name, Math.max(20, width - 30)), bold: true},
		...(entry.kind === 'link'
			? [{text: t('scratch.link'), color: 'muted' as const}]
			: [{text: column(formatBytes(entry.bytes), 10)}, {text: column(formatCount(entry.files), 8)}, {text: ageShort(now - Date.parse(entry.changed), t)}]),
	];
	const details: Segment[][] = [
		[{text: listing ? t('scratch.where', {root: listing.root}) : t('scratch.loading'), color: 'muted'}],
		...(current ? [[{text: current.kind === 'link' ? `${symbols.warn} ${t('scratch.linkDetail', {target: current.linkTarget ?? '?'})}` : t('scratch.detail', {path: current.path, time: formatTime(current.changed)}), ...(current.kind === 'link' ? {color: 'warn' as const} : {})}]] : []),
		...(error ? [[{text: error, color: 'bad' as const}]] : []),
	];
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
				empty={listing ? t('scratch.empty') : t('scratch.loading')}
			/>
			<DetailPane width={width} height={height - listHeight} lines={wrapAll(details, width - 1, capabilities.unicode)}/>
		</Box>
	);
}
