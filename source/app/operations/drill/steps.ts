import type {DrillStep, DrillStepId} from '../../../report/drill-report.js';

/**
 * Each step of a drill timed on its own (the report shows them, the total is the RTO), and
 * announced as a phase so every front end shows it live.
 */
export class DrillSteps {
	readonly list: DrillStep[] = [];

	constructor(private readonly announce: (id: DrillStepId) => void) {}

	async run<T>(id: DrillStepId, work: () => Promise<T>, judge: (value: T) => {passed: boolean; detail?: string} = () => ({passed: true})): Promise<T> {
		this.announce(id);
		const started = performance.now();
		try {
			const value = await work();
			const {passed, detail} = judge(value);
			this.list.push({id, status: passed ? 'passed' : 'failed', durationMs: Math.round(performance.now() - started), ...(detail ? {detail} : {})});
			return value;
		} catch (error) {
			this.list.push({id, status: 'failed', durationMs: Math.round(performance.now() - started), detail: error instanceof Error ? error.message : String(error)});
			throw error;
		}
	}

	skip(id: DrillStepId, detail: string): void {
		this.list.push({id, status: 'skipped', durationMs: 0, detail});
	}
}
