import {type ReactNode} from 'react';
import {Box} from 'ink';
import {useTheme} from '../../theme/theme.js';
import {Filler, Row} from '../row.js';

/** A titled area filling the editor: dialogs, the palette and help draw inside it. */
export function Frame({title, width, height, children, used}: {title: string; width: number; height: number; children: ReactNode; used: number}) {
	const {symbols} = useTheme();
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[{text: `${symbols.horizontal} `, color: 'muted'}, {text: title, bold: true, color: 'accent'}, {text: ` ${symbols.horizontal.repeat(width)}`, color: 'muted', clip: true}]}/>
			{children}
			<Filler count={height - 1 - used} width={width}/>
		</Box>
	);
}
