import type {Drive, SmartInfo} from '../../system/types.js';
import type {Say, Translate} from '../i18n/i18n.js';
import type {Symbols} from '../../text/symbols.js';
import {formatBytes, formatCount, formatTime, padEnd, padStart, textWidth} from '../../text/format.js';
import type {Segment} from '../components/row.js';
import type {SortColumn} from './sort.js';

/** Words for a drive's facts, shared by the Drives list, its detail pane and the drive tab. */
export function healthSegment(drive: Drive, t: Translate, symbols: Symbols): Segment {
	switch (drive.smart.verdict) {
		case 'ok': {
			return {text: `${symbols.ok} ${t('health.ok')}`, color: 'ok'};
		}

		case 'warning': {
			return {text: `${symbols.warn} ${t('health.warning')}`, color: 'warn', bold: true};
		}

		case 'failing': {
			return {text: `${symbols.bad} ${t('health.failing')}`, color: 'bad', bold: true};
		}

		default: {
			return {text: `? ${t('health.unknown')}`, color: 'muted'};
		}
	}
}

export function driveFree(drive: Drive): number | undefined {
	const values = drive.filesystems.map(filesystem => filesystem.available).filter((value): value is number => value !== undefined);
	return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
}

export function driveRepositories(drive: Drive): string {
	return drive.filesystems.flatMap(filesystem => filesystem.repositories.map(repository => `${repository.label} (${repository.generations})`)).join(', ');
}

/** Every fact worth showing about one drive, as lines. */
export function driveDetails(drive: Drive, t: Translate, say: Say, symbols: Symbols): Segment[][] {
	const {smart} = drive;
	const lines: Segment[][] = [
		[{text: `${drive.model ?? drive.name}`, bold: true}, {text: `  ${drive.path}`, color: 'muted'}],
		[{text: `${t('drive.serial')} ${drive.serial ?? '?'} ${symbols.dot} ${drive.transport ?? '?'} ${symbols.dot} ${formatBytes(drive.size)} ${symbols.dot} ${drive.removable ? t('drive.removable') : t('drive.fixed')} ${symbols.dot} `}, drive.writeProtected ? {text: `${symbols.locked} ${t('drive.writeProtected')}`, color: 'warn', bold: true} : {text: t('drive.writable')}],
		[{text: `${t('drive.smart')}: `}, healthSegment(drive, t, symbols), {text: smart.passed === undefined ? '' : `  (${smart.passed ? t('drive.selfTestPassed') : t('drive.selfTestFailed')})`}],
	];
	const attributes: string[] = [];
	if (smart.reallocatedSectors !== undefined) {
		attributes.push(t('drive.reallocated', {count: smart.reallocatedSectors}));
	}

	if (smart.pendingSectors !== undefined) {
		attributes.push(t('drive.pending', {count: smart.pendingSectors}));
	}

	if (smart.powerOnHours !== undefined) {
		attributes.push(t('drive.powerOn', {hours: formatCount(smart.powerOnHours)}));
	}

	if (smart.temperatureC !== undefined) {
		attributes.push(t('drive.temperature', {celsius: smart.temperatureC}));
	}

	if (smart.errorLogCount !== undefined) {
		attributes.push(t('drive.errorLog', {count: smart.errorLogCount}));
	}

	if (attributes.length > 0) {
		lines.push([{text: `  ${attributes.join(` ${symbols.dot} `)}`}]);
	}

	for (const reason of smart.reasonRefs?.map(ref => say(ref)) ?? smart.reasons) {
		lines.push([{text: `  ${symbols.warn} ${reason}`, color: smart.verdict === 'ok' ? 'muted' : 'warn'}]);
	}

	if (smart.note && !smart.reasons.includes(smart.note)) {
		lines.push([{text: `  ${smart.noteRef ? say(smart.noteRef) : smart.note}`, color: 'muted'}]);
	}

	for (const filesystem of drive.filesystems) {
		lines.push([
			{text: `${filesystem.device} ${filesystem.fsType ?? '?'} `},
			{text: filesystem.mountpoint ?? t('drive.notMounted'), color: filesystem.mountpoint ? undefined : 'muted'},
			{text: filesystem.available === undefined ? '' : `  ${t('drive.free', {free: formatBytes(filesystem.available)})}`},
			filesystem.readOnly ? {text: `  ${symbols.locked} ${t('drive.readOnly')}`, color: 'warn'} : {text: ''},
		]);
		for (const repository of filesystem.repositories) {
			lines.push([
				{text: `  ${symbols.arrowRight} `, color: 'accent'},
				{text: repository.label, bold: true},
				{text: `  ${t('drive.generations', {count: repository.generations})}`},
				{text: repository.newest ? `  ${t('drive.newest', {time: formatTime(repository.newest)})}` : ''},
				{text: repository.encrypted ? `  ${symbols.locked} ${t('drive.encrypted')}` : `  ${t('drive.plaintext')}`, color: repository.encrypted ? undefined : 'warn'},
			]);
		}
	}

	return lines;
}

/**
 * For the drive tab: smartctl's attribute table (a failing or pre-failure attribute marked) and
 * the self-test log, as the drive reported them; what the verdict was drawn from, for a second look.
 */
export function smartTables(smart: SmartInfo, t: Translate, symbols: Symbols): Segment[][] {
	const lines: Segment[][] = [];
	if (smart.attributes?.length) {
		// Columns as wide as their heading in this language (Japanese headings are wider) or their widest value.
		const name = Math.max(textWidth(t('smart.attribute')), ...smart.attributes.map(attribute => textWidth(attribute.name)));
		const [value, worst, threshold] = (['smart.value', 'smart.worst', 'smart.threshold'] as const).map(key => Math.max(3, textWidth(t(key))));
		lines.push([{text: ''}], [{text: `${padStart('ID', 4)}   ${padEnd(t('smart.attribute'), name)} ${padStart(t('smart.value'), value)} ${padStart(t('smart.worst'), worst)} ${padStart(t('smart.threshold'), threshold)}  ${t('smart.raw')}`, bold: true}]);
		for (const attribute of smart.attributes) {
			const mark = attribute.failedNow ? symbols.bad : (attribute.prefailure ? symbols.dot : ' ');
			lines.push([
				{text: `${padStart(String(attribute.id), 4)} `},
				{text: `${mark} `, ...(attribute.failedNow ? {color: 'bad' as const} : {color: 'muted' as const})},
				{text: `${padEnd(attribute.name, name)} `, ...(attribute.failedNow ? {color: 'bad' as const, bold: true} : {})},
				{text: `${padStart(String(attribute.value ?? ''), value)} ${padStart(String(attribute.worst ?? ''), worst)} ${padStart(String(attribute.threshold ?? ''), threshold)}  ${attribute.raw}`},
			]);
		}

		lines.push([{text: `${symbols.dot} ${t('smart.prefailure')}  ${symbols.bad} ${t('smart.failedNow')}`, color: 'muted'}]);
	}

	if (smart.selfTests?.length) {
		lines.push([{text: ''}], [{text: t('smart.selfTests'), bold: true}]);
		const type = Math.max(...smart.selfTests.map(test => textWidth(test.type)));
		const status = Math.max(...smart.selfTests.map(test => textWidth(test.status)));
		for (const test of smart.selfTests) {
			lines.push([
				{text: `  ${test.passed === false ? symbols.bad : symbols.ok} `, color: test.passed === false ? 'bad' : 'ok'},
				{text: `${padEnd(test.type, type)}  ${padEnd(test.status, status)}  `},
				{text: test.hours === undefined ? '' : t('smart.atHour', {hours: formatCount(test.hours)}), color: 'muted'},
			]);
		}
	} else if (smart.attributes?.length) {
		lines.push([{text: ''}], [{text: t('smart.noSelfTests'), color: 'muted'}]);
	}

	return lines;
}

const verdictRank = {failing: 0, warning: 1, unknown: 2, ok: 3} as const;

/** The columns `s` sorts drives by: name A to Z; largest, most free first; the worst health first. */
export const driveSort: Array<SortColumn<Drive>> = [
	{id: 'device', compare: (a, b) => a.name.localeCompare(b.name)},
	{id: 'size', descendingFirst: true, compare: (a, b) => a.size - b.size},
	{id: 'free', descendingFirst: true, compare: (a, b) => (driveFree(a) ?? -1) - (driveFree(b) ?? -1)},
	{id: 'health', compare: (a, b) => (verdictRank[a.smart.verdict] ?? 2) - (verdictRank[b.smart.verdict] ?? 2)},
];
