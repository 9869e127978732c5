import {Box} from 'ink';
import type {Drive} from '../../system/types.js';
import type {TargetStatus} from '../../app/catalog.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {ListView} from '../components/lists/list-view.js';
import {DetailPane} from '../components/detail-pane.js';
import {Filler, Row, column, type Segment} from '../components/row.js';
import {formatBytes} from '../../text/format.js';
import {ago} from '../age.js';
import {driveDetails, driveFree, driveRepositories, healthSegment} from './drive-lines.js';

/**
 * Every drive with health, write-protect, free space and the Sedai repositories on it, then the
 * cartridges known to be on the shelf. The selected drive's details show below the list.
 */
type Item = {kind: 'drive'; drive: Drive} | {kind: 'offline'; target: TargetStatus};

export type ViewProps = {width: number; height: number; focused: boolean};

export function DrivesView({width, height, focused}: ViewProps) {
	const {t, say} = useI18n();
	const theme = useTheme();
	const {symbols} = theme;
	const snapshot = useSnapshot();
	const intents = useIntents();
	const all: Item[] = [
		...(snapshot.report?.drives ?? []).map(drive => ({kind: 'drive' as const, drive})),
		...snapshot.targets.filter(target => !target.online && target.record).map(target => ({kind: 'offline' as const, target})),
	];
	const listHeight = Math.min(Math.max(4, Math.floor(height / 2)), all.length + 2);
	const list = useList('drives', all, listHeight - 1, item => item.kind === 'drive' ? [item.drive.name, item.drive.model, driveRepositories(item.drive)] : [item.target.label]);
	const {items} = list;
	const current = items[list.cursor];
	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('list.open', event) && current?.kind === 'drive') {
			intents.openDrive(current.drive.name);
			return true;
		}

		if (is('drives.mount', event) && current?.kind === 'offline') {
			intents.mount(current.target.label);
			return true;
		}

		if (is('drives.eject', event) && current?.kind === 'drive') {
			const label = current.drive.filesystems.flatMap(filesystem => filesystem.repositories)[0]?.label;
			if (label) {
				intents.eject(label);
			} else {
				intents.showError(new Error(t('drives.nothingToEject')));
			}

			return true;
		}

		return false;
	}, focused);

	const w = width - 2;
	const narrow = w < 90;
	const header: Segment[] = [{text: `${column(t('drives.col.device'), 10)}${column(t('drives.col.model'), narrow ? 14 : 28)}${column(t('drives.col.size'), 9)}${column(t('drives.col.free'), 9)}${column(t('drives.col.health'), 9)}${column(t('drives.col.wp'), 5)}${t('drives.col.sedai')}`}];
	const render = (item: Item): Segment[] => {
		if (item.kind === 'offline') {
			const since = item.target.offlineSince ? ago(item.target.offlineSince, t) : '';
			return [{text: `${symbols.offline} `, color: 'muted'}, {text: column(item.target.label, 8), bold: true}, {text: t('drives.offline', {since}), color: 'muted'}];
		}

		const {drive} = item;
		const free = driveFree(drive);
		const health = healthSegment(drive, t, symbols);
		return [
			{text: column(drive.name, 10)},
			{text: column(drive.model ?? '', narrow ? 14 : 28, theme.ellipsis)},
			{text: column(formatBytes(drive.size), 9)},
			{text: column(free === undefined ? '-' : formatBytes(free), 9)},
			{...health, text: column(health.text, 9)},
			drive.writeProtected ? {text: column(`${symbols.locked}${t('drives.wp')}`, 5), color: 'warn'} : {text: column(t('drives.rw'), 5)},
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
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const drive = snapshot.report?.drives.find(item => item.name === driveName);
	useKeyLayer(priority.panel, event => {
		if (is('drives.eject', event) && drive) {
			const label = drive.filesystems.flatMap(filesystem => filesystem.repositories)[0]?.label;
			if (label) {
				intents.eject(label);
				return true;
			}
		}

		return false;
	}, focused);
	const lines = drive ? driveDetails(drive, t, say, symbols) : [[{text: t('drive.gone', {name: driveName}), color: 'warn' as const}]];
	return (
		<Box flexDirection='column' width={width} height={height}>
			{lines.slice(0, height).map((segments, index) => <Row key={`l${index}`} width={width} segments={[{text: ' '}, ...segments]}/>)}
			<Filler count={height - Math.min(height, lines.length)} width={width}/>
		</Box>
	);
}
