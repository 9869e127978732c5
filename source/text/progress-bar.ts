import type {Symbols} from './symbols.js';

/** A progress bar as a string: `width` cells, full ones for the done share. */
export function progressBar(fraction: number, width: number, symbols: Pick<Symbols, 'barFull' | 'barEmpty'>): string {
	if (width <= 0) {
		return '';
	}

	const share = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
	const full = Math.round(share * width);
	return symbols.barFull.repeat(full) + symbols.barEmpty.repeat(width - full);
}

export function percent(done: number, total: number): string {
	if (total <= 0) {
		return '  ?%';
	}

	return `${String(Math.floor((Math.min(done, total) / total) * 100)).padStart(3)}%`;
}
