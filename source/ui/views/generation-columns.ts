import type {TimelineRow} from '../../app/timeline.js';
import type {Translate} from '../i18n/i18n.js';
import type {Symbols} from '../theme/symbols.js';
import {formatBytes, formatCount, formatTime} from '../format.js';
import {ageShort} from '../age.js';
import {column, type Segment} from '../components/row.js';

/** A timeline row as columns; narrower terminals drop the year and shorten words. */
export function generationHeader(t: Translate, wide: boolean): Segment[] {
	return [{text: [
		column(t('gen.col.time'), wide ? 17 : 12),
		column(t('gen.col.medium'), wide ? 10 : 6),
		column('#', wide ? 5 : 4),
		column(t('gen.col.size'), wide ? 10 : 8),
		column(t('gen.col.files'), wide ? 8 : 6),
		column(t('gen.col.new'), wide ? 10 : 8),
		column(t('gen.col.verified'), wide ? 16 : 8),
		wide ? column(t('gen.col.online'), 12) : '',
		t('gen.col.state'),
	].join('')}];
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
		? {text: column(`${row.verified.ok ? symbols.ok : symbols.bad} ${wide ? `${t(`verify.${row.verified.level}`)} ` : ''}${ageShort(now - new Date(row.verified.time).getTime(), t)}`, wide ? 16 : 8), color: row.verified.ok ? 'ok' : 'bad'}
		: {text: column(`- ${t('gen.never')}`, wide ? 16 : 8), color: 'muted'};
	const online: Segment = row.online ? {text: column(`${symbols.online} ${t('target.online')}`, 12), color: 'ok'} : {text: column(`${symbols.offline} ${t('target.offline')}`, 12), color: 'muted'};
	return [
		{text: column(wide ? time : time.slice(5), wide ? 17 : 12)},
		{text: column(row.label, wide ? 10 : 6), bold: true},
		{text: column(`#${generation.seq}`, wide ? 5 : 4)},
		{text: column(formatBytes(generation.bytes), wide ? 10 : 8)},
		{text: column(formatCount(generation.files), wide ? 8 : 6)},
		{text: column(formatBytes(generation.newBytes), wide ? 10 : 8), color: 'muted'},
		verified,
		wide ? online : {text: ''},
		protectionWord(row, t, symbols),
		generation.suspect ? {text: `  ${symbols.warn} ${t('gen.suspect')}`, color: 'bad', bold: true} : {text: ''},
	];
}
