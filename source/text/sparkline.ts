/**
 * A one-line chart of a few values (the RTO of the last drills): one column per value, its
 * height from zero to the largest, in eighth blocks, or in an ASCII ramp for `LANG=C` and
 * `TERM=vt100` (see capabilities.ts). Zero or missing values stay at the floor, never blank, so
 * every drill has its column.
 */
const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ramp = ['_', '.', ':', '-', '=', '+', '*', '#'];

export function sparkline(values: number[], unicode: boolean): string {
	const levels = unicode ? blocks : ramp;
	const peak = Math.max(0, ...values.filter(value => Number.isFinite(value)));
	return values.map(value => {
		const share = peak > 0 && Number.isFinite(value) ? Math.max(0, value) / peak : 0;
		return levels[Math.min(levels.length - 1, Math.round(share * (levels.length - 1)))];
	}).join('');
}

/** The newest `width` values at most, oldest first: what fits in a line. */
export function lastValues(values: number[], width: number): number[] {
	return width > 0 ? values.slice(-width) : [];
}
