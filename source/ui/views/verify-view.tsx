import {Box} from 'ink';
import type {VerifyResult} from '../../core/jobs/verify.js';
import type {RollingSlice} from '../../core/jobs/verify/rolling.js';
import type {VerifyMode} from '../../app/operations/verify.js';
import type {TargetStatus} from '../../app/catalog.js';
import type {VerificationRecord} from '../../core/policy/records.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useActiveJobId} from '../hooks/use-active-job.js';
import {useList} from '../hooks/use-list.js';
import {priority, useCommands, type Commands} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useRemembered, useUi} from '../state/ui-context.js';
import {ListView} from '../components/lists/list-view.js';
import {Row, column, labelColumn, type Segment} from '../components/row.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {ago} from '../age.js';
import {JobStatus} from './job-status.js';
import type {ViewProps} from './drives-view.js';

/**
 * Verify a connected medium: structure (every object present, seal chain intact) or full (every
 * byte re-read and re-hashed), live, then the damaged generations and files if any; a verifies
 * every connected medium in full, one job each.
 */
export function verifyResultLines(result: VerifyResult, t: Translate, symbols: {ok: string; bad: string; dot: string}): Segment[][] {
	const cycle: Segment[][] = result.slice ? [[{text: `  ${symbols.dot} `}, {text: sliceText(result.slice, t), color: 'muted'}]] : [];
	if (result.ok) {
		return [[{text: `${symbols.ok} `, color: 'ok'}, {text: t('verify.ok', {label: result.label, generations: result.generations, packs: result.packs, bytes: formatBytes(result.bytesRead), time: formatDuration(result.durationMs)})}], ...cycle];
	}

	const lines: Segment[][] = [[{text: `${symbols.bad} `, color: 'bad'}, {text: t('verify.bad', {label: result.label, problems: result.problems.length, generations: result.damagedGenerations.length}), color: 'bad', bold: true}]];
	for (const generation of result.damagedGenerations) {
		lines.push([{text: `  #${generation.seq} ${generation.shortId}: `, bold: true}, {text: t('verify.damagedFiles', {count: generation.files.length})}]);
		for (const file of generation.files) {
			lines.push([{text: `    ${symbols.bad} ${file}`, color: 'bad'}]);
		}
	}

	for (const problem of result.problems.filter(item => item.kind !== 'data')) {
		lines.push([{text: `  ${symbols.dot} ${problem.message}`, color: 'warn'}]);
	}

	return [...lines, ...cycle];
}

type Translate = ReturnType<typeof useI18n>['t'];

function sliceText(slice: RollingSlice, t: Translate): string {
	const since = slice.cycleStarted.slice(0, 10);
	return slice.cycleComplete
		? t(slice.cycleProblems > 0 ? 'verify.cycleDamaged' : 'verify.cycleDone', {since, problems: slice.cycleProblems})
		: t('verify.cycleSoFar', {percent: Math.floor(slice.covered * 100), since});
}

const modes: VerifyMode[] = ['structure', 'full', 'slice'];
const modeKeys: Record<string, VerifyMode | undefined> = {s: 'structure', f: 'full', r: 'slice'};

/** "last full check 2d ago", or for a rolling slice how much of the medium its cycle has read. */
function lastCheckText(check: VerificationRecord, t: Translate): string {
	const age = ago(check.time, t);
	return check.level === 'slice' && check.covered !== undefined
		? t('verify.lastSlice', {age, percent: Math.floor(check.covered * 100)})
		: t('verify.last', {level: t(`verify.${check.level}`), age});
}

export function VerifyView({width, height, focused}: ViewProps) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const {dispatch} = useUi();
	const [level, setLevel] = useRemembered<VerifyMode>('verify.level', 'structure');
	const media = snapshot.targets.filter(target => target.online && target.repositoryId);
	const listHeight = Math.min(media.length + 1, Math.max(3, Math.floor((height - 3) / 2)));
	const list = useList('verify', media, listHeight, target => [target.label]);
	const current = list.items[list.cursor];
	const running = useActiveJobId('verify');
	const commands: Commands = {
		...list.commands,
		'verify.level'() {
			setLevel(previous => modes[(modes.indexOf(previous) + 1) % modes.length]);
		},
		'verify.start': current && (() => {
			intents.verify(current.name, level);
		}),
		'list.open': current && (() => {
			intents.verify(current.name, level);
		}),
		'verify.all': media.length > 0 ? intents.verifyAll : undefined,
		'job.cancel': running === undefined
			? undefined
			: () => {
				dispatch({type: 'push', overlay: {kind: 'confirm', title: t('cancel.title'), body: [t('cancel.verifyBody')], onConfirm() {
					intents.cancelJob(running);
				}}});
			},
	};
	// The s, f and r keys pick a level directly, as the radio buttons read.
	useCommands(priority.panel, commands, focused, event => {
		if (list.handle(event)) {
			return true;
		}

		const picked = modeKeys[event.input];
		if (picked && picked !== level) {
			setLevel(picked);
			return true;
		}

		return false;
	});

	const lastCheck = (target: TargetStatus) => snapshot.verifications.findLast(check => check.repositoryId === target.repositoryId);
	const render = (target: TargetStatus): Segment[] => {
		const check = lastCheck(target);
		return [
			{text: labelColumn(target.label, 10), bold: true},
			{text: column(target.record ? t('drive.generations', {count: target.record.generations.length}) : '', 16)},
			check
				? {text: `${check.ok ? symbols.ok : symbols.bad} ${lastCheckText(check, t)}`, color: check.ok ? 'ok' : 'bad'}
				: {text: `- ${t('verify.neverVerified')}`, color: 'warn'},
		];
	};

	const radio = (value: VerifyMode): Segment => ({text: `${level === value ? symbols.radioOn : symbols.radioOff} ${t(`verify.${value}`)}  `, bold: level === value, ...(level === value ? {color: 'accent' as const} : {})});
	const statusHeight = Math.max(0, height - listHeight - 3);
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[{text: ` ${t('verify.level')}: `}, radio('structure'), radio('full'), radio('slice'), {text: ` ${t(`verify.${level}Hint`)}`, color: 'muted'}]}/>
			<ListView items={list.items} cursor={list.cursor} width={width} height={listHeight} render={render} filter={list.filter} filtering={list.filtering} focused={focused} empty={t('verify.noMedia')}/>
			<Row width={width} segments={current ? [{text: ` ${symbols.enter} `, bold: true, color: 'accent'}, {text: t('verify.startHint', {label: current.label, level: t(`verify.${level}`)})}] : []}/>
			<Row width={width} segments={[{text: symbols.horizontal.repeat(width), color: 'muted', clip: true}]}/>
			<Box flexDirection='column' width={width} height={statusHeight} overflow='hidden'>
				<JobStatus kind='verify' width={width} height={statusHeight} result={job => verifyResultLines(job.outcome?.data as VerifyResult, t, symbols)}/>
			</Box>
		</Box>
	);
}
