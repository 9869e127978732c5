import {Box} from 'ink';
import type {Job} from '../../app/job-queue.js';
import type {JobKind} from '../../core/jobs/events.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {Row, type Segment} from '../components/row.js';
import {jobDetail, jobHeadline} from '../components/job-lines.js';

/** The live lines of a view's own jobs (newest first): progress while running, result after. */
export function JobStatus({jobs, kind, width, height, result}: {jobs: readonly Job[]; kind: JobKind; width: number; height: number; result: (job: Job) => Segment[][]}) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const mine = jobs.filter(job => job.kind === kind).reverse();
	const lines: Array<{key: string; segments: Segment[]}> = [];
	for (const job of mine) {
		lines.push({key: `${job.id}h`, segments: [{text: ' '}, ...jobHeadline(job, width - 1, t, symbols)]});
		if (job.state === 'running') {
			lines.push({key: `${job.id}d`, segments: jobDetail(job, width, t, symbols)});
		} else if (job.state === 'done') {
			for (const [index, segments] of result(job).entries()) {
				lines.push({key: `${job.id}r${index}`, segments: [{text: '   '}, ...segments]});
			}
		}

		if (lines.length >= height) {
			break;
		}
	}

	return (
		<Box flexDirection='column' width={width} height={Math.min(height, lines.length)}>
			{lines.slice(0, height).map(line => <Row key={line.key} width={width} segments={line.segments}/>)}
		</Box>
	);
}
