import {useReducer} from 'react';
import {Box} from 'ink';
import type {Drive} from '../../system/types.js';
import type {TargetStatus} from '../../app/catalog.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useCommands, useKeyLayer, type Commands} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useRemembered} from '../state/ui-context.js';
import {ListView} from '../components/lists/list-view.js';
import {DetailPane} from '../components/detail-pane.js';
import {wrapAll} from '../components/wrap-segments.js';
import {Filler, Row, column, labelColumn, type Segment} from '../components/row.js';
import {formatBytes, textWidth} from '../../text/format.js';
import {ago} from '../age.js';
import {driveDetails, driveFree, driveRepositories, driveSort, healthSegment, smartTables} from './drive-lines.js';
import {firstSort, nextSort, sortItems, sortMark, type SortState} from './sort.js';

/**
 * Every drive with health, write-protect, free space and the Sedai repositories on it, then the
 * cartridges known to be on the shelf. The selected drive's details show below the list; s sorts
 * the drives by a column, u removes a stale lock from the selected drive's repository.
 */
type Item = {kind: 'drive'; drive: Drive} | {kind: 'offline'; target: TargetStatus};

export type ViewProps = {width: number; height: number; focused: boolean};

export function DrivesView({width, height, focused}: ViewProps) {
	const {t, say} = useI18n();
	const theme = useTheme();
	const {symbols} = theme;
	const snapshot = useSnapshot();
	const intents = useIntents();
	const [sort, setSort] = useRemembered<SortState>('drives.sort', firstSort(driveSort));
	// Drives in the chosen order, then the cartridges on the shelf (which have no drive to sort by).
	const drives = sortItems(snapshot.report?.drives ?? [], driveSort, sort);
	const all: Item[] = [
		...drives.map(drive => ({kind: 'drive' as const, drive})),
		...snapshot.targets.filter(target => !target.online && target.record).map(target => ({kind: 'offline' as const, target})),
	];
	const listHeight = Math.min(Math.max(4, Math.floor(height / 2)), all.length + 2);
	const list = useList('drives', all, listHeight - 1, item => item.kind === 'drive' ? [item.drive.name, item.drive.model, driveRepositories(item.drive)] : [item.target.label]);
	const {items} = list;
	const current = items[list.cursor];
	const drive = current?.kind === 'drive' ? current.drive : undefined;
	const firstLabel = drive?.filesystems.flatMap(filesystem => filesystem.repositories)[0]?.label;
	// The medium on the selected drive, by the name the session knows it by.
	const targetName = firstLabel ? snapshot.targets.find(target => target.label === firstLabel && target.online)?.name ?? firstLabel : undefined;
	const mount = (label: string) => () => {
		intents.mount(label);
	};

	const stored = (label: string) => () => {
		intents.storedAway(label);
	};

	const commands: Commands = {
		...list.commands,
		'list.open': drive && (() => {
			intents.openDrive(drive.name);
		}),
		'drives.eject': drive && (() => {
			if (firstLabel) {
				intents.eject(firstLabel);
			} else {
				intents.showError(new Error(t('drives.nothingToEject')));
			}
		}),
		'drives.mount': current?.kind === 'offline' ? mount(current.target.label) : undefined,
		'drives.stored': current?.kind === 'offline' ? stored(current.target.label) : undefined,
		'drives.unlock': drive && (() => {
			if (targetName) {
				intents.unlock(targetName);
			} else {
				intents.showError(new Error(t('drives.noRepository')));
			}
		}),
		'drives.sort'() {
			setSort(previous => nextSort(driveSort, previous));
		},
	};
	useCommands(priority.panel, commands, focused, list.handle);

	const w = width - 2;
	const narrow = w < 90;
	const mark = (id: string) => sortMark(sort, id, theme.capabilities.unicode);
	// The verdict and write-protect columns fit their longest word in this language, never cut; the model gives way.
	const healthWidth = 1 + Math.max(textWidth(`${t('drives.col.health')}${mark('health')}`), ...(['ok', 'warning', 'failing'] as const).map(verdict => textWidth(`${symbols.bad} ${t(`health.${verdict}`)}`)), textWidth(`? ${t('health.unknown')}`));
	const wpWidth = 1 + Math.max(textWidth(t('drives.col.wp')), textWidth(`${symbols.locked}${t('drives.wp')}`), textWidth(t('drives.rw')));
	// The media on a drive (label and generation count) are read whole before the model is: the model is in the details below.
	const mediaWidth = Math.max(textWidth(t('drives.col.sedai')), ...items.map(item => item.kind === 'drive' ? textWidth(driveRepositories(item.drive)) : 0));
	const room = w - 2 - (10 + 9 + 9 + healthWidth + wpWidth) - mediaWidth;
	const modelWidth = Math.max(8, Math.min(room, (narrow ? 14 : 28) - Math.max(0, healthWidth - 9) - Math.max(0, wpWidth - 5)));
	const header: Segment[] = [{text: `${column(`${t('drives.col.device')}${mark('device')}`, 10)}${column(t('drives.col.model'), modelWidth)}${column(`${t('drives.col.size')}${mark('size')}`, 9)}${column(`${t('drives.col.free')}${mark('free')}`, 9)}${column(`${t('drives.col.health')}${mark('health')}`, healthWidth)}${column(t('drives.col.wp'), wpWidth)}${t('drives.col.sedai')}`}];
	const render = (item: Item): Segment[] => {
		if (item.kind === 'offline') {
			const since = item.target.offlineSince ? ago(item.target.offlineSince, t) : '';
			// Only what Sedai ejected, or the technician confirmed, is on the shelf; the rest is just gone.
			const reason = item.target.record?.offlineReason;
			const shelved = reason === 'ejected' || reason === 'stored';
			return [{text: `${symbols.offline} `, color: 'muted'}, {text: labelColumn(item.target.label, 8), bold: true}, {text: shelved ? t('drives.offline', {since}) : t('drives.missing', {since}), color: shelved ? 'muted' : 'warn'}];
		}

		const {drive} = item;
		const free = driveFree(drive);
		const health = healthSegment(drive, t, symbols);
		return [
			{text: column(drive.name, 10)},
			{text: column(drive.model ?? '', modelWidth, theme.ellipsis)},
			{text: column(formatBytes(drive.size), 9)},
			{text: column(free === undefined ? '-' : formatBytes(free), 9)},
			{...health, text: column(health.text, healthWidth)},
			drive.writeProtected ? {text: column(`${symbols.locked}${t('drives.wp')}`, wpWidth), color: 'warn'} : {text: column(t('drives.rw'), wpWidth)},
			{text: driveRepositories(drive)},
		];
	};

	const details = current?.kind === 'drive' ? driveDetails(current.drive, t, say, symbols) : [];
	const notes = [...(snapshot.report?.notes ?? []), ...(snapshot.reportError ? [snapshot.reportError] : [])];
	return (
		<Box flexDirection='column' width={width} height={height}>
			<ListView
				items={items}
				cursor={list.cursor}
				width={width}
				height={listHeight}
				render={render}
				header={header}
				filter={list.filter}
				filtering={list.filtering}
				focused={focused}
				empty={snapshot.ready ? t('drives.none') : t('status.looking')}
			/>
			<DetailPane width={width} height={height - listHeight} lines={[...details, ...notes.map(note => [{text: `${symbols.warn} ${note}`, color: 'warn' as const}])]}/>
		</Box>
	);
}

export function DriveTab({driveName, width, height, focused}: ViewProps & {driveName: string}) {
	const {t, say} = useI18n();
	const {symbols, capabilities} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const drive = snapshot.report?.drives.find(item => item.name === driveName);
	// Advice wraps (it is the part to read); the tables are cut at the edge like any table.
	const lines = drive ? [...wrapAll(driveDetails(drive, t, say, symbols), width - 1, capabilities.unicode), ...smartTables(drive.smart, t, symbols)] : [[{text: t('drive.gone', {name: driveName}), color: 'warn' as const}]];
	// A reducer, so keys typed in one burst each move from where the previous one left it.
	const overflow = lines.length > height && height >= 3;
	// One row says what is out of sight, as lists do.
	const body = overflow ? height - 1 : height;
	const maxOffset = Math.max(0, lines.length - body);
	const [offset, scroll] = useReducer((current: number, by: number) => Math.max(0, Math.min(maxOffset, current + by)), 0);
	useKeyLayer(priority.panel, event => {
		const page = Math.max(1, body - 1);
		const steps: Array<[Parameters<typeof is>[0], number]> = [['list.down', 1], ['list.up', -1], ['list.pageDown', page], ['list.pageUp', -page], ['list.top', -lines.length], ['list.bottom', lines.length]];
		const step = steps.find(([id]) => is(id, event));
		if (step) {
			scroll(step[1]);
			return true;
		}

		if (is('drives.eject', event) && drive) {
			const label = drive.filesystems.flatMap(filesystem => filesystem.repositories)[0]?.label;
			if (label) {
				intents.eject(label);
				return true;
			}
		}

		return false;
	}, focused);
	const start = Math.min(offset, maxOffset);
	const shown = lines.slice(start, start + body);
	if (overflow) {
		const below = lines.length - start - body;
		shown.push([{text: `${start > 0 ? `${symbols.arrowUp} ${t('list.more', {count: start})}  ` : ''}${below > 0 ? `${symbols.arrowDown} ${t('list.more', {count: below})}` : ''}`, color: 'muted'}]);
	}

	return (
		<Box flexDirection='column' width={width} height={height}>
			{shown.map((segments, index) => <Row key={`l${index}`} width={width} segments={[{text: ' '}, ...segments]}/>)}
			<Filler count={height - shown.length} width={width}/>
		</Box>
	);
}
