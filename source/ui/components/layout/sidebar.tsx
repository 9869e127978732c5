import {memo} from 'react';
import {Box} from 'ink';
import {useI18n} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {views, type ViewId} from '../../state/ui-state.js';
import {useSnapshot} from '../../hooks/use-live.js';
import {Filler, Row, type Segment} from '../row.js';

/** The activity bar: one line per view, its number key as its icon; Compliance carries its verdict. */
function SidebarLines({active, focused, width, height}: {active: ViewId; focused: boolean; width: number; height: number}) {
	const {t} = useI18n();
	const {symbols, capabilities} = useTheme();
	const snapshot = useSnapshot();
	const inner = width - 1;
	const report = snapshot.compliance;
	const badge = (view: ViewId): Segment => {
		if (view !== 'compliance' || !report) {
			return {text: ''};
		}

		return report.pass ? {text: ` ${symbols.ok}`, color: 'ok'} : {text: ` ${symbols.bad}${width > 16 ? report.failed : ''}`, color: 'bad', bold: true};
	};

	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[{text: capabilities.unicode ? ' Sedai 世代' : ' Sedai', bold: true, color: 'accent'}, {text: ' '.repeat(Math.max(0, inner - (capabilities.unicode ? 10 : 6)))}, {text: symbols.vertical, color: 'muted'}]}/>
			{views.map((view, index) => {
				const selected = view === active;
				const pointer = selected ? symbols.pointer : ' ';
				return (
					<Box key={view} width={width}>
						<Row width={inner} inverse={selected && focused} segments={[{text: `${pointer}${index + 1} `, color: selected ? 'accent' : 'muted'}, {text: t(`view.${view}`), bold: selected}, badge(view)]}/>
						<Row width={1} segments={[{text: symbols.vertical, color: 'muted'}]}/>
					</Box>
				);
			})}
			{Array.from({length: Math.max(0, height - views.length - 1)}, (_, index) => (
				<Box key={index} width={width}>
					<Filler count={1} width={inner}/>
					<Row width={1} segments={[{text: symbols.vertical, color: 'muted'}]}/>
				</Box>
			))}
		</Box>
	);
}

/** Memoised: a progress tick re-renders the shell, and this part only when its props change. */
export const Sidebar = memo(SidebarLines);
