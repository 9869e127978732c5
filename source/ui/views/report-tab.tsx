import {useEffect, useMemo, useState} from 'react';
import {Box} from 'ink';
import type {DrillReport} from '../../report/drill-report.js';
import {renderMarkdown} from '../../report/render-markdown.js';
import {useI18n, type Translate} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useRemembered, useSession} from '../state/ui-context.js';
import {Filler, Row, type Segment} from '../components/row.js';
import {wrapAll} from '../components/wrap-segments.js';
import type {ViewProps} from './drives-view.js';

/**
 * A drill's report as the clinic keeps it: first the files (the HTML is the one to print), then
 * the Markdown in the report's own language, wrapped to the screen; ↑/↓ and PgUp/PgDn scroll,
 * q or Esc closes the tab.
 */
type Files = {markdown: string; html: string; json: string};

function fileLines(report: DrillReport, files: Files | undefined, error: string | undefined, t: Translate): Segment[][] {
	if (error) {
		return [[{text: t('report.filesError', {error}), color: 'bad'}]];
	}

	if (!files) {
		return [[{text: t('report.filesWriting'), color: 'muted'}]];
	}

	return [
		[{text: t('report.files'), bold: true}],
		[{text: `  ${t('report.html')}: `, color: 'muted'}, {text: files.html, color: 'accent'}],
		[{text: `  ${t('report.markdown')}: `, color: 'muted'}, {text: files.markdown}],
		[{text: `  ${t('report.json')}: `, color: 'muted'}, {text: files.json}],
		[{text: `  ${t('report.language', {language: report.language})}`, color: 'muted'}],
	];
}

function markdownLines(report: DrillReport): Segment[][] {
	return renderMarkdown(report, report.language).trimEnd().split('\n').map(line => (line.startsWith('#') ? [{text: line, bold: true, color: 'accent' as const}] : [{text: line}]));
}

export function ReportTab({report, tabId, width, height, focused}: ViewProps & {report: DrillReport; tabId: string}) {
	const {t} = useI18n();
	const {capabilities} = useTheme();
	const session = useSession();
	const [files, setFiles] = useState<Files>();
	const [error, setError] = useState<string>();
	useEffect(() => {
		let live = true;
		session.reportFiles(report).then(found => {
			if (live) {
				setFiles(found);
			}
		}, (error_: unknown) => {
			if (live) {
				setError(error_ instanceof Error ? error_.message : String(error_));
			}
		});
		return () => {
			live = false;
		};
	}, [session, report]);
	const document = useMemo(() => markdownLines(report), [report]);
	const lines = useMemo(() => wrapAll([...fileLines(report, files, error, t), [{text: ''}], ...document], width - 1, capabilities.unicode), [report, files, error, t, document, width, capabilities.unicode]);
	const rows = Math.max(1, height - 1);
	const maxOffset = Math.max(0, lines.length - rows);
	const [stored, setOffset, readOffset] = useRemembered(`${tabId}.offset`, 0);
	const offset = Math.min(stored, maxOffset);
	useKeyLayer(priority.panel, event => {
		const at = Math.min(readOffset(), maxOffset);
		const step = Math.max(1, rows - 1);
		if (is('list.up', event)) {
			setOffset(Math.max(0, at - 1));
		} else if (is('list.down', event)) {
			setOffset(Math.min(maxOffset, at + 1));
		} else if (is('list.pageUp', event)) {
			setOffset(Math.max(0, at - step));
		} else if (is('list.pageDown', event) || event.name === 'space') {
			setOffset(Math.min(maxOffset, at + step));
		} else if (is('list.top', event)) {
			setOffset(0);
		} else if (is('list.bottom', event)) {
			setOffset(maxOffset);
		} else {
			return false;
		}

		return true;
	}, focused);

	const shown = lines.slice(offset, offset + rows);
	const position = t('report.position', {from: Math.min(lines.length, offset + 1), to: Math.min(lines.length, offset + rows), total: lines.length});
	return (
		<Box flexDirection='column' width={width} height={height}>
			{shown.map((segments, index) => <Row key={`r${offset + index}`} width={width} segments={[{text: ' '}, ...segments]}/>)}
			<Filler count={rows - shown.length} width={width}/>
			<Row width={width} segments={[{text: ` ${position}`, color: 'muted'}]}/>
		</Box>
	);
}
