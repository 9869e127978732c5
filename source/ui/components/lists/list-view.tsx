import {useRef} from 'react';
import {Box} from 'ink';
import {useTheme} from '../../theme/theme.js';
import {useI18n} from '../../i18n/i18n.js';
import {Filler, Line, Row, type Segment} from '../row.js';

/**
 * A scrolling list of one-line rows with a cursor (pointer glyph and inverse, never colour
 * alone), an optional header row and the `/` filter line when one is set.
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
	const rows = Math.max(1, height - (header ? 1 : 0) - (showFilter ? 1 : 0));
	if (cursor < offset.current) {
		offset.current = cursor;
	} else if (cursor >= offset.current + rows) {
		offset.current = cursor - rows + 1;
	}

	offset.current = Math.max(0, Math.min(offset.current, Math.max(0, items.length - rows)));
	const visible = items.slice(offset.current, offset.current + rows);
	const {symbols} = theme;
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
			{showFilter ? <Row width={width} segments={[{text: `/${filter ?? ''}`, color: 'accent'}, {text: filtering ? '_' : `  ${t('list.filtered', {count: items.length})}`, color: 'muted'}]}/> : null}
		</Box>
	);
}
