import {Box} from 'ink';
import type {ComplianceCheck, ComplianceCheckId} from '../../core/policy/compliance.js';
import type {ViewId} from '../state/ui-state.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {ListView} from '../components/lists/list-view.js';
import {DetailPane} from '../components/detail-pane.js';
import {Row, column, type Segment} from '../components/row.js';
import {wrapText} from '../../text/wrap.js';
import {textWidth} from '../../text/format.js';
import type {ViewProps} from './drives-view.js';

/**
 * The guideline 6.0 checklist over every medium Sedai knows, online or on the shelf: one line per
 * check, and below it the selected check's evidence (which generations, media, dates) and the
 * action that fixes it. Enter goes to the view where that action is taken.
 */
const fixIn: Record<ComplianceCheckId, ViewId> = {
	generations: 'backup',
	'write-protected': 'generations',
	'offline-copy': 'drives',
	'multiple-methods': 'settings',
	verified: 'verify',
	'restore-drill': 'restore',
	encrypted: 'settings',
};

export function ComplianceView({width, height, focused}: ViewProps) {
	const {t, say} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const report = snapshot.compliance;
	const checks = report?.checks ?? [];
	const listHeight = Math.min(checks.length + 1, Math.max(3, Math.floor((height - 1) / 2)));
	const list = useList('compliance', checks, listHeight - 1, check => [say(check.title), say(check.requirement), ...check.evidence.map(line => say(line))]);
	const current = list.items[list.cursor];
	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('compliance.fix', event) && current) {
			intents.go(fixIn[current.id]);
			return true;
		}

		return false;
	}, focused);

	const titleWidth = Math.min(24, Math.max(...checks.map(check => textWidth(t(`check.${check.id}`))), 10) + 2);
	const passText = `${symbols.ok} ${t('check.pass')}`;
	const failText = `${symbols.bad} ${t('check.fail')}`;
	const markWidth = Math.max(textWidth(passText), textWidth(failText)) + 2;
	const render = (check: ComplianceCheck): Segment[] => [
		check.pass ? {text: column(passText, markWidth), color: 'ok', bold: true} : {text: column(failText, markWidth), color: 'bad', bold: true},
		{text: column(t(`check.${check.id}`), titleWidth), bold: true},
		{text: say(check.requirement), color: 'muted'},
	];

	const inner = width - 3;
	const details: Segment[][] = [];
	if (current) {
		// What is asked, then (when failing) what to do, then the evidence: at 80×24 the action
		// must be on screen without scrolling.
		const title = `${t(`check.${current.id}`)}: `;
		for (const [index, part] of wrapText(`${title}${say(current.requirement)}`, inner).entries()) {
			details.push(index === 0 ? [{text: title, bold: true}, {text: part.slice(title.length), color: 'muted'}] : [{text: part, color: 'muted'}]);
		}

		if (current.action) {
			for (const [index, part] of wrapText(say(current.action), inner - 2).entries()) {
				details.push([{text: `${index === 0 ? symbols.arrowRight : ' '} ${part}`, color: 'warn', bold: true}]);
			}

			details.push([{text: `  ${t('compliance.enter', {view: t(`view.${fixIn[current.id]}`)})}`, color: 'muted'}]);
		}

		for (const line of current.evidence) {
			for (const [index, part] of wrapText(say(line), inner - 2).entries()) {
				details.push([{text: `${index === 0 ? symbols.dot : ' '} ${part}`}]);
			}
		}
	}

	for (const advice of report?.rotation.advice ?? []) {
		for (const [index, part] of wrapText(say(advice), inner - 2).entries()) {
			details.push([{text: index === 0 ? `${t('compliance.rotation')} ${part}` : `  ${part}`, color: 'accent'}]);
		}
	}

	const summary: Segment = report
		? (report.pass
			? {text: ` ${symbols.ok} ${t('compliance.pass', {guideline: report.guideline, passed: report.passed})}`, color: 'ok', bold: true}
			: {text: ` ${symbols.bad} ${t('compliance.fail', {guideline: report.guideline, failed: report.failed, total: report.checks.length})}`, color: 'bad', bold: true})
		: {text: ` ${t('status.looking')}`, color: 'muted'};
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[summary]}/>
			<ListView
				items={list.items}
				cursor={list.cursor}
				width={width}
				height={listHeight}
				render={render}
				filter={list.filter}
				filtering={list.filtering}
				focused={focused}
				empty={t('status.looking')}
			/>
			<DetailPane width={width} height={height - 1 - listHeight} lines={details}/>
		</Box>
	);
}
