import {cellWidth, fitLine, padCells, truncateCells, type Line, type Segment} from './segments.js';

/**
 * A table fitted to a width: columns take their natural width; when that is too wide, flexible
 * columns shrink (to `min`) and then the least important columns are left out. CJK-aware.
 */
export type Column<R> = {
	title: string;
	cell: (row: R) => Segment;
	/** Higher stays longer when space runs out. */
	priority: number;
	/** May shrink below its natural width, down to `min` (default 6). */
	flex?: boolean;
	min?: number;
	align?: 'left' | 'right';
};

export function fitTable<R>(columns: Array<Column<R>>, rows: R[], width: number, ellipsis: string): {header: Line; rows: Line[]} {
	// A column with nothing in any row only costs room.
	let shown = columns.filter(column => rows.some(row => column.cell(row).text !== '')).map(column => ({
		column,
		width: Math.max(cellWidth(column.title), ...rows.map(row => cellWidth(column.cell(row).text))),
	}));
	const minimum = (entry: (typeof shown)[number]) => (entry.column.flex ? Math.min(entry.width, Math.max(entry.column.min ?? 6, cellWidth(entry.column.title))) : entry.width);
	let gap = 2;
	const total = (measure: (entry: (typeof shown)[number]) => number) => shown.reduce((sum, entry) => sum + measure(entry), 0) + (gap * Math.max(0, shown.length - 1));
	// Tight: one space between columns before anything is cut.
	if (total(entry => entry.width) > width) {
		gap = 1;
	}

	while (shown.length > 1 && total(minimum) > width) {
		const weakest = shown.reduce((low, entry) => (entry.column.priority < low.column.priority ? entry : low));
		shown = shown.filter(entry => entry !== weakest);
	}

	// Shrink the widest flexible column one cell at a time until it fits.
	while (total(entry => entry.width) > width) {
		const candidates = shown.filter(entry => entry.width > minimum(entry));
		if (candidates.length === 0) {
			break;
		}

		const widest = candidates.reduce((high, entry) => (entry.width > high.width ? entry : high));
		widest.width--;
	}

	const render = (cell: (entry: (typeof shown)[number]) => Segment): Line => shown.flatMap((entry, index) => {
		const segment = cell(entry);
		const text = padCells(truncateCells(segment.text, entry.width, ellipsis), entry.width, entry.column.align);
		return [{...segment, text}, ...(index < shown.length - 1 ? [{text: ' '.repeat(gap)}] : [])];
	});
	return {
		header: fitLine(render(entry => ({text: entry.column.title, bold: true})), width, ellipsis),
		rows: rows.map(row => fitLine(render(entry => entry.column.cell(row)), width, ellipsis)),
	};
}
