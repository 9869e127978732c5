import {Box} from 'ink';
import type {BackupRunResult} from '../../app/operations/backup.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useActiveJobId} from '../hooks/use-active-job.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useRemembered, useSession, useUi} from '../state/ui-context.js';
import {ListView} from '../components/lists/list-view.js';
import {Row, column, type Segment} from '../components/row.js';
import {formatBytes, formatCount, formatDuration, textWidth} from '../../text/format.js';
import {ago} from '../age.js';
import type {TargetStatus} from '../../app/catalog.js';
import type {PlanSchedule} from '../../app/operations/schedule.js';
import {planDetails, planRow} from './plan-schedule.js';
import {JobStatus} from './job-status.js';
import type {ViewProps} from './drives-view.js';

/**
 * Back up now: tick sources and targets (from the site settings; offline cartridges say so), press
 * b or Enter, watch it run below; c cancels safely (nothing half-sealed). Each plan shows its
 * nightly schedule, next run and last run; s installs or changes it, x removes it.
 */
type Item = {kind: 'source'; path: string} | {kind: 'target'; target: TargetStatus} | {kind: 'plan'; schedule: PlanSchedule};

export function BackupView({width, height, focused}: ViewProps) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const intents = useIntents();
	const {dispatch} = useUi();
	const session = useSession();
	const {settings, targets, schedules} = snapshot;
	const [skippedSources, setSkippedSources] = useRemembered<string[]>('backup.skipSources', []);
	const [chosenTargets, setChosenTargets] = useRemembered<string[] | undefined>('backup.targets', undefined);
	const configured = targets.filter(target => target.configured);
	const chosen = new Set(chosenTargets ?? configured.filter(target => target.online).map(target => target.name));
	const all: Item[] = [
		...settings.sources.map(path => ({kind: 'source' as const, path})),
		...configured.map(target => ({kind: 'target' as const, target})),
		...schedules.map(schedule => ({kind: 'plan' as const, schedule})),
	];
	const listHeight = Math.min(all.length + 1, Math.max(4, height - 6));
	const list = useList('backup', all, listHeight, item => item.kind === 'source' ? [item.path] : (item.kind === 'target' ? [item.target.label] : [item.schedule.plan]));
	const current = list.items[list.cursor];
	// The keys s and x act on the plan under the cursor, or on the site's only plan.
	const plan = current?.kind === 'plan' ? current.schedule : (schedules.length === 1 ? schedules[0] : undefined);
	const clock = {t, symbols, now: session.now().getTime()};
	const details = current?.kind === 'plan' ? planDetails(current.schedule, clock).slice(0, Math.max(0, height - listHeight - 4)) : [];
	const sources = settings.sources.filter(path => !skippedSources.includes(path));
	const ready = configured.filter(target => target.online && chosen.has(target.name));
	const running = useActiveJobId('backup');

	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (is('backup.schedule', event) || is('backup.unschedule', event)) {
			if (!plan) {
				intents.showError(new Error(t(schedules.length > 1 ? 'schedule.pickPlan' : 'schedule.noPlan')));
			} else if (is('backup.schedule', event)) {
				intents.schedule(plan.plan);
			} else {
				intents.unschedule(plan.plan);
			}

			return true;
		}

		if (is('backup.toggle', event) && current && current.kind !== 'plan') {
			if (current.kind === 'source') {
				setSkippedSources(skippedSources.includes(current.path) ? skippedSources.filter(path => path !== current.path) : [...skippedSources, current.path]);
			} else {
				const next = new Set(chosen);
				if (next.has(current.target.name)) {
					next.delete(current.target.name);
				} else {
					next.add(current.target.name);
				}

				setChosenTargets([...next]);
			}

			return true;
		}

		if (is('backup.start', event) || is('list.open', event)) {
			if (ready.length === 0) {
				intents.showError(new Error(t('backup.noTarget')));
			} else if (sources.length === 0) {
				intents.showError(new Error(t('backup.noSource')));
			} else {
				intents.backup(ready.map(target => target.name), sources);
			}

			return true;
		}

		if (is('backup.plan', event)) {
			intents.runPlan();
			return true;
		}

		if (is('job.cancel', event) && running !== undefined) {
			dispatch({type: 'push', overlay: {kind: 'confirm', title: t('cancel.title'), body: [t('cancel.body')], onConfirm() {
				intents.cancelJob(running);
			}}});
			return true;
		}

		return false;
	}, focused);

	const stateText = (online: boolean) => online ? `${symbols.online} ${t('target.online')}` : `${symbols.offline} ${t('target.offline')}`;
	const spaceText = (target: TargetStatus) => target.online ? (target.free === undefined ? '' : t('target.free', {free: formatBytes(target.free)})) : t('target.insert');
	const lastText = (target: TargetStatus) => {
		const newest = target.record?.generations.at(-1);
		return newest ? t('target.last', {seq: newest.seq, age: ago(newest.time, t)}) : t('target.empty');
	};

	// Columns as wide as their widest value in this language, so the last backup's age is not cut;
	// two spaces between them where the pane has room (the list's cursor takes two columns).
	const widest = (texts: string[]) => Math.max(0, ...texts.map(text => textWidth(text)));
	const content = {
		label: widest(configured.map(target => target.label)),
		state: widest([stateText(true), stateText(false)]),
		space: widest(configured.map(target => spaceText(target))),
	};
	const gap = 8 + 4 + content.label + content.state + content.space + widest(configured.map(target => lastText(target))) + 6 <= width - 2 ? 2 : 1;
	const widths = {
		kind: Math.max(8, 1 + textWidth(t('backup.source')), 1 + textWidth(t('backup.target'))),
		label: content.label + gap,
		state: content.state + gap,
		space: content.space + gap,
	};
	const render = (item: Item): Segment[] => {
		if (item.kind === 'plan') {
			return planRow(item.schedule, clock);
		}

		if (item.kind === 'source') {
			const on = !skippedSources.includes(item.path);
			return [{text: column(t('backup.source'), widths.kind), color: 'muted'}, {text: `${on ? symbols.checked : symbols.unchecked} `, bold: on}, {text: item.path}];
		}

		const {target} = item;
		const on = chosen.has(target.name);
		const state: Segment = target.online
			? {text: column(stateText(true), widths.state), color: 'ok'}
			: {text: column(stateText(false), widths.state), color: 'muted'};
		return [
			{text: column(t('backup.target'), widths.kind), color: 'muted'},
			{text: `${on ? symbols.checked : symbols.unchecked} `, bold: on},
			{text: column(target.label, widths.label), bold: true},
			state,
			{text: column(spaceText(target), widths.space), color: target.online ? undefined : 'warn'},
			target.writeProtected ? {text: `${symbols.locked} ${t('drive.writeProtected')} `, color: 'warn'} : {text: ''},
			{text: lastText(target), color: 'muted'},
		];
	};

	const summary: Segment[] = ready.length > 0
		? [{text: ` ${symbols.enter} `, bold: true, color: 'accent'}, {text: t('backup.startHint', {count: sources.length, targets: ready.map(target => target.label).join(', ')})}]
		: [{text: ` ${symbols.warn} ${t('backup.noTarget')}`, color: 'warn'}];
	const statusHeight = height - listHeight - 2 - details.length;
	return (
		<Box flexDirection='column' width={width} height={height}>
			<ListView items={list.items} cursor={list.cursor} width={width} height={listHeight} render={render} filter={list.filter} filtering={list.filtering} focused={focused} empty={t('backup.nothing')}/>
			<Row width={width} segments={summary}/>
			{details.map((segments, index) => <Row key={`plan${index}`} width={width} segments={segments}/>)}
			<Row width={width} segments={[{text: symbols.horizontal.repeat(width), color: 'muted', clip: true}]}/>
			<Box flexDirection='column' width={width} height={Math.max(0, statusHeight)} overflow='hidden'>
				<JobStatus kind='backup' width={width} height={statusHeight} result={job => {
					const data = job.outcome?.data as BackupRunResult | undefined;
					// One line per target: sealed (with the sentinel's verdict), offline or failed.
					return (data?.targets ?? []).map((target): Segment[] => {
						const {generation} = target;
						if (target.status !== 'sealed' || !generation) {
							return [{text: `${symbols.bad} ${target.name}: ${target.message ?? target.status}`, color: target.status === 'offline' ? 'muted' : 'bad'}];
						}

						return [
							{text: t('backup.sealed', {label: target.label ?? target.name, seq: generation.seq, files: formatCount(generation.files), bytes: formatBytes(generation.bytes), new: formatBytes(generation.newBytes), time: formatDuration(generation.durationMs)})},
							target.suspect ? {text: `  ${symbols.warn} ${t('backup.suspect')}`, color: 'bad', bold: true} : {text: ''},
						];
					});
				}}/>
			</Box>
		</Box>
	);
}
