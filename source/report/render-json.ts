import type {DrillReport} from './drill-report.js';

/** The report as its versioned JSON document (schema: drill-report.ts), stable key order as built. */
export function renderJson(report: DrillReport): string {
	return `${JSON.stringify(report, undefined, '\t')}\n`;
}
