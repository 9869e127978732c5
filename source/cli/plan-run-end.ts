import {planRunFromSummary, statusFilePath, writeRunStatus, type PlanRun} from '../settings/run-status.js';
import {alertsConfig} from '../system/alerts/alerts-config.js';
import {notifyRun} from '../system/alerts/notify-run.js';
import type {Output} from './output.js';

/**
 * The end of every plan run: record it in the status file, and alert the site when it failed
 * or is SUSPECT. Neither can fail the backup: problems become warnings.
 * (Moves to the operations layer with the plan run.)
 */
export async function endPlanRun(output: Output, settings: {site: string; alerts?: unknown}, plan: string, summary: Record<string, unknown>, ok: boolean): Promise<PlanRun> {
	const run = planRunFromSummary(settings.site, plan, summary, {ok, ended: new Date().toISOString()});
	if (!writeRunStatus(run)) {
		output.warning('status-file', `Cannot write the status file ${statusFilePath()}: \`sedai status\` falls back to the job journals.`);
	}

	let config;
	try {
		config = alertsConfig(settings);
	} catch (error) {
		output.warning('bad-config', `${error instanceof Error ? error.message : String(error)} No alert was sent for this run.`);
		return run;
	}

	for (const outcome of await notifyRun(config, run)) {
		if (outcome.ok) {
			output.text(`Alert: ${outcome.message}.`);
		} else {
			output.warning('alert-failed', outcome.message);
		}
	}

	return run;
}
