import os from 'node:os';
import {alertsConfig} from '../../settings/alerts-config.js';
import {planRunFromSummary, statusFilePath, writeRunStatus, type PlanRun} from '../../settings/run-status.js';
import {notifyRun} from '../../system/alerts/notify-run.js';
import type {OperationContext} from './context.js';
import type {JobHandle} from './job.js';

/**
 * The end of every plan run, whoever started it (the nightly timer, the console): record it in
 * the status file `sedai status` reads, and alert the site when it failed or is SUSPECT.
 * Neither can fail the backup: problems become warnings of the job.
 */
export async function recordPlanRun(context: OperationContext, job: JobHandle, plan: string, outcome: {result?: unknown; ok: boolean; error?: string}): Promise<PlanRun> {
	let settings: {site: string; alerts?: unknown} = {site: os.hostname()};
	try {
		settings = context.settings();
	} catch (error) {
		// The run itself reports a broken settings file; alert nobody, record it.
		job.warn('bad-config', `${error instanceof Error ? error.message : String(error)} No alert was sent for this run.`);
	}

	const run = planRunFromSummary(settings.site, plan, outcome.result, {ok: outcome.ok, ended: (context.now?.() ?? new Date()).toISOString(), ...(outcome.error ? {error: outcome.error} : {})});
	if (!writeRunStatus(run)) {
		job.warn('status-file', `Cannot write the status file ${statusFilePath()}: \`sedai status\` falls back to the job journals.`);
	}

	try {
		for (const sent of await notifyRun(alertsConfig(settings), run)) {
			job.warn(sent.ok ? 'alert-sent' : 'alert-failed', sent.ok ? `Alert: ${sent.message}.` : sent.message);
		}
	} catch (error) {
		job.warn('alert-failed', error instanceof Error ? error.message : String(error));
	}

	return run;
}
