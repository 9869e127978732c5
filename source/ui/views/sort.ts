/**
 * Sorting a list by a column: `s` steps through each column's two directions in turn (the
 * natural one first: newest, largest, worst first), and the header marks the column with an arrow.
 */
export type SortState = {column: string; descending: boolean};

export type SortColumn<T> = {id: string; compare: (a: T, b: T) => number; descendingFirst?: boolean};

export function firstSort<T>(columns: Array<SortColumn<T>>): SortState {
	return {column: columns[0].id, descending: columns[0].descendingFirst ?? false};
}

export function nextSort<T>(columns: Array<SortColumn<T>>, current: SortState): SortState {
	const index = Math.max(0, columns.findIndex(column => column.id === current.column));
	const column = columns[index];
	if (current.descending === (column.descendingFirst ?? false)) {
		return {column: column.id, descending: !current.descending};
	}

	const next = columns[(index + 1) % columns.length];
	return {column: next.id, descending: next.descendingFirst ?? false};
}

/** A stable sort: rows equal in the column keep their order (newest first). */
export function sortItems<T>(items: readonly T[], columns: Array<SortColumn<T>>, state: SortState): T[] {
	const column = columns.find(item => item.id === state.column) ?? columns[0];
	const sign = state.descending ? -1 : 1;
	return items.map((item, index) => ({item, index}))
		.sort((a, b) => (sign * column.compare(a.item, b.item)) || a.index - b.index)
		.map(({item}) => item);
}

/** The header's arrow after the sorted column's title (nothing on the others). */
export function sortMark(state: SortState, column: string, unicode: boolean): string {
	if (state.column !== column) {
		return '';
	}

	return state.descending ? (unicode ? '↓' : 'v') : (unicode ? '↑' : '^');
}
