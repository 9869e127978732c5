import type {JobEnd} from '../app/operations/job.js';
import type {Output} from './output.js';

/**
 * The end of every headless command that ran an operation: its summary record and human lines
 * when it produced a result, else its error as one sentence; the exit code is the end's.
 */
export function finish<R>(output: Output, end: JobEnd<R>, summarize: (result: R) => {data: Record<string, unknown>; human: string[]}): number {
	if (end.result !== undefined) {
		const {data, human} = summarize(end.result);
		output.summary({...data, status: end.status, exitCode: end.exitCode}, human);
		return end.exitCode;
	}

	output.error(end.failure ?? new Error(end.error?.message ?? 'failed'), end.exitCode);
	return end.exitCode;
}
