import {tierOrder, type TimelineRow} from '../../app/timeline.js';
import type {Translate} from '../i18n/i18n.js';
import type {Symbols} from '../../text/symbols.js';
import {formatBytes, formatCount, formatTime} from '../../text/format.js';
import {ageShort} from '../age.js';
import {column, labelColumn, type Segment} from '../components/row.js';
import {wrapText} from '../../text/wrap.js';
import type {SortColumn} from './sort.js';

/**
 * A timeline row as columns. Narrow terminals (80 columns) drop the year, the file and new-data
 * counts (the detail lines below the list show them) and shorten words.
 */
export function generationHeader(t: Translate, wide: boolean, mark: (column: string) => string = () => ''): Segment[] {
	return [{text: [
		column(`${t('gen.col.time')}${mark('time')}`, wide ? 17 : 12),
		column(`${t('gen.col.medium')}${mark('medium')}`, wide ? 12 : 8),
		column('#', wide ? 5 : 4),
		column(`${t('gen.col.size')}${mark('size')}`, wide ? 10 : 8),
		wide ? column(t('gen.col.files'), 8) : '',
		wide ? column(t('gen.col.new'), 10) : '',
		column(`${t('gen.col.tier')}${mark('tier')}`, wide ? 14 : 9),
		column(`${t('gen.col.verified')}${mark('verified')}`, wide ? 16 : 9),
		wide ? column(t('gen.col.online'), 12) : '',
		t('gen.col.state'),
	].join('')}];
}

export function tierSegment(row: TimelineRow, t: Translate, wide: boolean): Segment {
	const {retention} = row;
	if (!retention) {
		return {text: column('-', wide ? 14 : 9), color: 'muted'};
	}

	const rank = retention.tier === 'hold' || retention.tier === 'prune' ? undefined : retention.ranks[retention.tier];
	const text = wide && rank ? `${t(`tier.${retention.tier}`)} ${rank}` : t(`tier.${retention.tier}`);
	return {text: column(text, wide ? 14 : 9), ...(retention.keep ? {} : {color: 'warn' as const})};
}

export function protectionWord(row: TimelineRow, t: Translate, symbols: Symbols): Segment {
	switch (row.protection) {
		case 'immutable': {
			return {text: `${symbols.locked} ${t('protect.immutable')}`, color: 'ok'};
		}

		case 'read-only': {
			return {text: `${symbols.locked} ${t('protect.readOnly')}`, color: 'ok'};
		}

		case 'offline': {
			return {text: `${symbols.offline} ${t('protect.offline')}`, color: 'ok'};
		}

		case 'none': {
			return {text: `- ${t('protect.none')}`, color: row.age >= 2 ? 'warn' : 'muted'};
		}

		default: {
			return {text: `? ${t('protect.unknown')}`, color: 'muted'};
		}
	}
}

export function generationColumns(row: TimelineRow, t: Translate, symbols: Symbols, wide: boolean, now = Date.now()): Segment[] {
	const {generation} = row;
	const time = formatTime(generation.time);
	const verified: Segment = row.verified
		? {text: column(`${row.verified.ok ? symbols.ok : symbols.bad} ${wide ? `${t(`verify.${row.verified.level}`)} ` : ''}${ageShort(now - new Date(row.verified.time).getTime(), t, true)}`, wide ? 16 : 9), color: row.verified.ok ? 'ok' : 'bad'}
		: {text: column(`- ${t('gen.never')}`, wide ? 16 : 9), color: 'muted'};
	const online: Segment = row.online ? {text: column(`${symbols.online} ${t('target.online')}`, 12), color: 'ok'} : {text: column(`${symbols.offline} ${t('target.offline')}`, 12), color: 'muted'};
	return [
		{text: column(wide ? time : time.slice(5), wide ? 17 : 12)},
		row.online ? {text: `${symbols.online} `, color: 'ok'} : {text: `${symbols.offline} `, color: 'muted'},
		{text: labelColumn(row.label, wide ? 10 : 6), bold: true},
		{text: column(`#${generation.seq}`, wide ? 5 : 4)},
		{text: column(formatBytes(generation.bytes), wide ? 10 : 8)},
		wide ? {text: column(formatCount(generation.files), 8)} : {text: ''},
		wide ? {text: column(formatBytes(generation.newBytes), 10), color: 'muted'} : {text: ''},
		tierSegment(row, t, wide),
		verified,
		wide ? online : {text: ''},
		protectionWord(row, t, symbols),
		generation.suspect ? {text: `  ${symbols.warn} ${t('gen.suspect')}`, color: 'bad', bold: true} : {text: ''},
	];
}

/** The selected generation, below the list: counts, which rules keep it and until when, warnings. */
export function generationDetails(row: TimelineRow, t: Translate, symbols: Symbols, width: number): Segment[][] {
	const {generation, retention} = row;
	const lines: Segment[][] = [[
		{text: `${row.label} #${generation.seq} ${generation.shortId}`, bold: true},
		{text: `  ${formatCount(generation.files)} ${t('gen.col.files').toLowerCase()} ${symbols.dot} ${formatBytes(generation.bytes)} ${symbols.dot} ${t('gen.col.new').toLowerCase()} ${formatBytes(generation.newBytes)}`, color: 'muted'},
	]];
	if (!retention) {
		lines.push([{text: `${symbols.warn} ${t('gen.noPolicy')}`, color: 'warn'}]);
	} else if (retention.keep) {
		const until = retention.expires ? t('gen.expires', {time: formatTime(retention.expires)}) : t('gen.stays');
		const rules = retention.rules.map(rule => `${t(`rule.${rule}`)}${retention.ranks[rule] && rule !== 'guideline-minimum' ? ` ${retention.ranks[rule]}` : ''}`);
		for (const part of wrapText(`${t('gen.keptBy', {reasons: rules.join(', ')})}; ${until}`, width)) {
			lines.push([{text: part}]);
		}
	} else {
		lines.push([{text: `${symbols.warn} ${t('gen.pruneCandidate')}`, color: 'warn'}]);
	}

	if (generation.suspect) {
		for (const part of wrapText(`${symbols.warn} ${t('gen.suspect')} ${t('gen.suspectWhy', {reasons: (generation.suspectReasons ?? []).join('; ')})}`, width)) {
			lines.push([{text: part, color: 'bad', bold: true}]);
		}
	} else if (generation.protectionNote && row.protection !== 'immutable') {
		lines.push([{text: generation.protectionNote, color: 'muted'}]);
	}

	return lines;
}

const tierRank = (row: TimelineRow) => tierOrder.indexOf(row.retention?.tier ?? 'hold');

/** The columns `s` sorts the timeline by: newest, largest first; media and tiers A to Z; least recently verified first. */
export const generationSort: Array<SortColumn<TimelineRow>> = [
	{id: 'time', descendingFirst: true, compare: (a, b) => a.generation.time.localeCompare(b.generation.time)},
	{id: 'medium', compare: (a, b) => a.label.localeCompare(b.label) || b.generation.seq - a.generation.seq},
	{id: 'size', descendingFirst: true, compare: (a, b) => a.generation.bytes - b.generation.bytes},
	{id: 'tier', compare: (a, b) => tierRank(a) - tierRank(b)},
	{id: 'verified', compare: (a, b) => (a.verified?.time ?? '').localeCompare(b.verified?.time ?? '')},
];
