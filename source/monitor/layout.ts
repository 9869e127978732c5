/**
 * Where each panel goes for a terminal size. Compact (80×24 and up): jobs across the top, chart
 * and checks in the middle, cartridges and log at the bottom. Wide (120×36 and up): jobs beside
 * the chart on top; cartridges over checks on the left, a tall log on the right. Below 80×24 the
 * dashboard says what size it needs instead of drawing a broken layout.
 */
export type Rect = {top: number; left: number; width: number; height: number};

export type PanelName = 'jobs' | 'chart' | 'checks' | 'cartridges' | 'log';

export type Layout
	= | {kind: 'wide' | 'compact'; header: Rect; footer: Rect; panels: Record<PanelName, Rect>}
		| {kind: 'too-small'; need: {columns: number; rows: number}};

export const minimumSize = {columns: 80, rows: 24};
const wideSize = {columns: 120, rows: 36};

export function layoutFor(columns: number, rows: number): Layout {
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return {kind: 'too-small', need: minimumSize};
	}

	const header: Rect = {top: 0, left: 0, width: columns, height: 1};
	const footer: Rect = {top: rows - 1, left: 0, width: columns, height: 1};
	const available = rows - 2;
	if (columns >= wideSize.columns && rows >= wideSize.rows) {
		const topHeight = Math.max(12, Math.floor(available * 0.42));
		const bottomHeight = available - topHeight;
		const jobsWidth = Math.floor(columns * 0.6);
		const leftWidth = Math.floor(columns * 0.55);
		const checksHeight = Math.min(13, Math.floor(bottomHeight / 2));
		return {
			kind: 'wide',
			header,
			footer,
			panels: {
				jobs: {top: 1, left: 0, width: jobsWidth, height: topHeight},
				chart: {top: 1, left: jobsWidth, width: columns - jobsWidth, height: topHeight},
				cartridges: {top: 1 + topHeight, left: 0, width: leftWidth, height: bottomHeight - checksHeight},
				checks: {top: 1 + topHeight + bottomHeight - checksHeight, left: 0, width: leftWidth, height: checksHeight},
				log: {top: 1 + topHeight, left: leftWidth, width: columns - leftWidth, height: bottomHeight},
			},
		};
	}

	const jobsHeight = Math.max(8, Math.floor(available * 0.36));
	const middleHeight = Math.max(7, Math.floor(available * 0.3));
	const bottomHeight = available - jobsHeight - middleHeight;
	const leftWidth = Math.floor(columns * 0.55);
	return {
		kind: 'compact',
		header,
		footer,
		panels: {
			jobs: {top: 1, left: 0, width: columns, height: jobsHeight},
			chart: {top: 1 + jobsHeight, left: 0, width: leftWidth, height: middleHeight},
			checks: {top: 1 + jobsHeight, left: leftWidth, width: columns - leftWidth, height: middleHeight},
			cartridges: {top: 1 + jobsHeight + middleHeight, left: 0, width: leftWidth, height: bottomHeight},
			log: {top: 1 + jobsHeight + middleHeight, left: leftWidth, width: columns - leftWidth, height: bottomHeight},
		},
	};
}

/** Panels Tab moves between, in order. */
export const focusOrder: PanelName[] = ['jobs', 'cartridges', 'log'];
