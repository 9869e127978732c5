import {useTheme} from '../theme/theme.js';
import {Filler, Row, type Segment} from './row.js';

/**
 * The part below a list: a rule, then the selected item's detail lines (cut to fit), then blank
 * lines to fill `height`, which includes the rule.
 */
export function DetailPane({width, height, lines}: {width: number; height: number; lines: Segment[][]}) {
	const {symbols} = useTheme();
	const shown = lines.slice(0, Math.max(0, height - 1));
	return (
		<>
			<Row width={width} segments={[{text: symbols.horizontal.repeat(width), color: 'muted', clip: true}]}/>
			{shown.map((segments, index) => <Row key={`d${index}`} width={width} segments={[{text: ' '}, ...segments]}/>)}
			<Filler count={height - 1 - shown.length} width={width}/>
		</>
	);
}
