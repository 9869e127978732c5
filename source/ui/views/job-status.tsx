import {Box} from 'ink';
import type {Job} from '../../app/job-queue.js';
import {useJobs} from '../hooks/use-live.js';
import type {JobKind} from '../../core/jobs/events.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {Row, type Segment} from '../components/row.js';
import {jobDetail, jobHeadline} from '../components/job-lines.js';
import {wrapSegments} from '../components/wrap-segments.js';

/**
 * The live lines of a view's own jobs (newest first): progress while running, result (wrapped)
 * after. It reads the jobs itself, so a progress tick re-renders these lines and not the view.
 */
export function JobStatus({kind, width, height, result}: {kind: JobKind; width: number; height: number; result: (job: Job) => Segment[][]}) {
	const {t, language} = useI18n();
	const {symbols, capabilities} = useTheme();
	const jobs = useJobs();
	const mine = jobs.filter(job => job.kind === kind).reverse();
	const lines: Array<{key: string; segments: Segment[]}> = [];
	for (const job of mine) {
		lines.push({key: `${job.id}h`, segments: [{text: ' '}, ...jobHeadline(job, width - 1, t, symbols, language)]});
		if (job.state === 'running') {
			lines.push({key: `${job.id}d`, segments: jobDetail(job, width, t, symbols)});
		} else if (job.state === 'done') {
			// Result lines wrap, so the end of a verdict ("no problems", "counts as a full verification") is never cut.
			for (const [index, segments] of result(job).entries()) {
				for (const [part, piece] of wrapSegments(segments, width - 3, capabilities.unicode).entries()) {
					lines.push({key: `${job.id}r${index}.${part}`, segments: [{text: '   '}, ...piece]});
				}
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
