import {Box} from 'ink';
import {useI18n} from '../i18n/i18n.js';
import {useLive} from '../hooks/use-live.js';
import {Filler, Row} from '../components/row.js';
import {formatDuration, formatTime} from '../format.js';
import type {ViewProps} from './drives-view.js';

/** Compliance and Drills get their own views in later issues; until then, say so (and list drills). */
export function ComingView({view, width, height}: ViewProps & {view: 'compliance' | 'drills'}) {
	const {t} = useI18n();
	const {snapshot} = useLive();
	const lines = [t(`coming.${view}`)];
	if (view === 'drills') {
		for (const drill of [...snapshot.drills].reverse().slice(0, Math.max(0, height - 3))) {
			lines.push(t('coming.drillLine', {time: formatTime(drill.time), label: drill.label, ok: drill.ok ? 'OK' : 'NG', rto: formatDuration(drill.restoreMs), files: drill.files}));
		}
	}

	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[{text: ` ${t('coming.title')}`, bold: true}]}/>
			{lines.map((line, index) => <Row key={`l${index}`} width={width} segments={[{text: ` ${line}`, ...(index === 0 ? {color: 'muted' as const} : {})}]}/>)}
			<Filler count={height - 1 - lines.length} width={width}/>
		</Box>
	);
}
