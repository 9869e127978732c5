import {Box} from 'ink';
import type {Job} from '../../../app/job-queue.js';
import {useI18n} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {useJobs} from '../../hooks/use-live.js';
import {Filler, Row, type Segment} from '../row.js';
import {jobDetail, jobHeadline, jobState, jobTitle} from '../job-lines.js';
import {LogPanel, LogTail, messageText} from './log-panel.js';

/**
 * The bottom panel: the job queue with live progress of the running job, and the log. Wide
 * terminals show both side by side; at 80 columns the running job sits above the log tail.
 * Focused (Tab), it lists every job to pick one and cancel it; Tab again reads the log.
 */
export function pickCurrentJob(jobs: readonly Job[]): Job | undefined {
	return jobs.find(job => job.state === 'running') ?? jobs.find(job => job.state === 'queued') ?? jobs.at(-1);
}

function JobList({jobs, cursor, focused, width, height, empty = true}: {jobs: readonly Job[]; cursor: number; focused: boolean; width: number; height: number; empty?: boolean}) {
	const {t, language} = useI18n();
	const {symbols} = useTheme();
	const newestFirst = [...jobs].reverse();
	const start = Math.max(0, Math.min(cursor - height + 1, newestFirst.length - height));
	const visible = newestFirst.slice(Math.max(0, start), Math.max(0, start) + height);
	return (
		<Box flexDirection='column' width={width} height={height}>
			{visible.length === 0 && empty ? <Row width={width} segments={[{text: `  ${t('panel.noJobs')}`, color: 'muted'}]}/> : null}
			{visible.map((job, index) => {
				const selected = Math.max(0, start) + index === cursor;
				const segments: Segment[] = job.state === 'running' ? jobHeadline(job, width - 2, t, symbols, language) : [jobState(job, t, symbols), {text: `  ${jobTitle(job, t)}`}, {text: job.error ? `  ${job.error}` : '', color: 'muted'}];
				return <Row key={job.id} width={width} inverse={selected && focused} segments={[{text: selected ? `${symbols.pointer} ` : '  '}, ...segments]}/>;
			})}
			<Filler count={height - Math.max(visible.length, empty ? 1 : 0)} width={width}/>
		</Box>
	);
}

export function BottomPanel({width, height, focused, logFocused = false, logActive = true, cursor}: {width: number; height: number; focused: boolean; logFocused?: boolean; logActive?: boolean; cursor: number}) {
	const {t, language} = useI18n();
	const {symbols} = useTheme();
	const jobs = useJobs();
	const body = height - 1;
	if (logFocused) {
		return <LogPanel width={width} height={height} active={logActive}/>;
	}

	const active = jobs.filter(job => job.state === 'running' || job.state === 'queued').length;
	const title = `${symbols.horizontal} ${t('panel.jobs')} ${active > 0 ? `(${t('panel.active', {count: active})}) ` : ''}`;
	const header = <Row width={width} segments={[{text: title, bold: focused, color: focused ? 'accent' : 'muted'}, {text: `${symbols.horizontal} ${t('panel.log')} `, color: 'muted'}, {text: symbols.horizontal.repeat(width), color: 'muted', clip: true}]}/>;
	if (focused) {
		return (
			<Box flexDirection='column' width={width} height={height}>
				{header}
				<JobList jobs={jobs} cursor={cursor} focused={focused} width={width} height={body}/>
			</Box>
		);
	}

	const current = pickCurrentJob(jobs);
	const wide = width >= 120;
	const jobWidth = wide ? Math.floor(width * 0.55) : width;
	// A finished job's result under its headline (the wide panel has the room; at 80 columns the log says it).
	const result = current && current.state !== 'running' && current.state !== 'queued' ? (current.outcome ? messageText(current.outcome.message, t) : undefined) : undefined;
	const currentHeight = current ? (current.state === 'running' || (wide && result) ? 2 : 1) : 0;
	const jobLines = current
		? (
			<Box flexDirection='column' width={jobWidth}>
				<Row width={jobWidth} segments={[{text: ' '}, ...jobHeadline(current, jobWidth - 1, t, symbols, language)]}/>
				{current.state === 'running' ? <Row width={jobWidth} segments={jobDetail(current, jobWidth, t, symbols)}/> : null}
				{wide && result ? <Row width={jobWidth} segments={[{text: `   ${result}`, color: current?.outcome?.ok === false ? 'bad' : 'muted'}]}/> : null}
			</Box>
		)
		: null;
	if (wide) {
		const logWidth = width - jobWidth - 1;
		return (
			<Box flexDirection='column' width={width} height={height}>
				{header}
				<Box flexDirection='row' height={body}>
					<Box flexDirection='column' width={jobWidth} height={body}>
						{jobLines}
						<JobList jobs={jobs.filter(job => job !== current)} cursor={-1} focused={false} width={jobWidth} height={body - currentHeight} empty={!current}/>
					</Box>
					<Box flexDirection='column' width={1} height={body}>
						<Filler count={0} width={1}/>
						{Array.from({length: body}, (_, index) => <Row key={index} width={1} segments={[{text: symbols.vertical, color: 'muted'}]}/>)}
					</Box>
					<LogTail width={logWidth} height={body}/>
				</Box>
			</Box>
		);
	}

	const used = current ? (current.state === 'running' ? 2 : 1) : 0;
	const logLines = current?.state === 'running' ? body - used : body;
	return (
		<Box flexDirection='column' width={width} height={height}>
			{header}
			{current?.state === 'running' ? jobLines : null}
			<LogTail width={width} height={logLines}/>
		</Box>
	);
}
