import {useRef} from 'react';
import {Box} from 'ink';
import {useTheme} from '../../theme/theme.js';
import {useI18n} from '../../i18n/i18n.js';
import {Filler, Line, Row, type Segment} from '../row.js';

/**
 * A scrolling list of one-line rows with a cursor (pointer glyph and inverse, never colour
 * alone), an optional header row and the `/` filter line when one is set. A list longer than
 * its room gives up one row to say how many rows are out of sight above and below.
 */
export type ListViewProps<T> = {
	items: readonly T[];
	cursor: number;
	width: number;
	height: number;
	render: (item: T, width: number) => Segment[];
	header?: Segment[];
	filter?: string;
	filtering?: boolean;
	focused: boolean;
	empty: string;
	marked?: (item: T) => boolean;
};

export function ListView<T>(props: ListViewProps<T>) {
	const {items, cursor, width, height, render, header, filter, filtering, focused, empty, marked} = props;
	const theme = useTheme();
	const {t} = useI18n();
	const offset = useRef(0);
	const showFilter = Boolean(filtering) || Boolean(filter);
	const room = Math.max(1, height - (header ? 1 : 0) - (showFilter ? 1 : 0));
	const overflow = items.length > room && room >= 3;
	const rows = overflow ? room - 1 : room;
	if (cursor < offset.current) {
		offset.current = cursor;
	} else if (cursor >= offset.current + rows) {
		offset.current = cursor - rows + 1;
	}

	offset.current = Math.max(0, Math.min(offset.current, Math.max(0, items.length - rows)));
	const visible = items.slice(offset.current, offset.current + rows);
	const {symbols} = theme;
	const above = offset.current;
	const below = items.length - offset.current - visible.length;
	const more: Segment[] = [
		{text: '  '},
		...(above > 0 ? [{text: `${symbols.arrowUp} ${t('list.more', {count: above})}  `, color: 'muted' as const}] : []),
		...(below > 0 ? [{text: `${symbols.arrowDown} ${t('list.more', {count: below})}`, color: 'muted' as const}] : []),
	];
	return (
		<Box flexDirection='column' width={width} height={height}>
			{header ? <Row width={width} segments={[{text: '  '}, ...header.map(segment => ({...segment, bold: true}))]}/> : null}
			{visible.length === 0 ? <Line width={width} text={`  ${empty}`} color='muted'/> : null}
			{visible.map((item, index) => {
				const position = offset.current + index;
				const selected = position === cursor;
				const pointer = selected ? (focused ? symbols.pointer : symbols.dot) : ' ';
				const mark = marked?.(item) ? symbols.marked : ' ';
				return <Row key={position} width={width} inverse={selected && focused} segments={[{text: pointer + mark}, ...render(item, width - 2)]}/>;
			})}
			<Filler count={rows - Math.max(1, visible.length)} width={width}/>
			{overflow ? <Row width={width} segments={more}/> : null}
			{showFilter ? <Row width={width} segments={[{text: `/${filter ?? ''}`, color: 'accent'}, {text: filtering ? '_' : `  ${t('list.filtered', {count: items.length})}`, color: 'muted'}]}/> : null}
		</Box>
	);
}
