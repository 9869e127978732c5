import type {Translate} from './i18n/i18n.js';

/** Ages in the UI's language: compact ("2h", "2時間") for columns, "2h ago" for sentences. */
export function ageShort(ms: number, t: Translate, compact = false): string {
	const minutes = Math.max(0, Math.floor(ms / 60_000));
	if (minutes < 1) {
		// Table columns sized for '26h' take 'now', not 'just now'.
		return t(compact ? 'age.nowShort' : 'age.now');
	}

	if (minutes < 60) {
		return t('age.minutes', {n: minutes});
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 48) {
		return t('age.hours', {n: hours});
	}

	return t('age.days', {n: Math.floor(hours / 24)});
}

export function ago(time: string | number, t: Translate, now = Date.now()): string {
	const ms = now - (typeof time === 'number' ? time : new Date(time).getTime());
	const short = ageShort(ms, t);
	return ms < 60_000 ? short : t('age.ago', {age: short});
}
