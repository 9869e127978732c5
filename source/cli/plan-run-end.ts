import os from 'node:os';
import {alertsConfig} from '../settings/alerts-config.js';
import {planRunFromSummary, statusFilePath, writeRunStatus, type PlanRun} from '../settings/run-status.js';
import {SettingsStore} from '../settings/store.js';
import {notifyRun} from '../system/alerts/notify-run.js';
import type {Output} from './output.js';

/**
 * The end of every plan run: record it in the status file, and alert the site when it failed
 * or is SUSPECT. Neither can fail the backup: problems become warnings.
 * (Belongs in the operations layer's plan run; called from `sedai backup --plan` until then.)
 */
export async function endPlanRun(output: Output, plan: string, summary: unknown, outcome: {ok: boolean; error?: string}): Promise<PlanRun> {
	let settings: {site: string; alerts?: unknown} = {site: os.hostname()};
	try {
		settings = new SettingsStore().get();
	} catch (error) {
		// The run itself has reported a broken settings file already; alert nobody, record it.
		output.warning('bad-config', `${error instanceof Error ? error.message : String(error)} No alert was sent for this run.`);
	}

	const run = planRunFromSummary(settings.site, plan, summary, {ok: outcome.ok, ended: new Date().toISOString(), ...(outcome.error ? {error: outcome.error} : {})});
	if (!writeRunStatus(run)) {
		output.warning('status-file', `Cannot write the status file ${statusFilePath()}: \`sedai status\` falls back to the job journals.`);
	}

	for (const result of await notifyRun(alertsConfig(settings), run)) {
		if (result.ok) {
			output.text(`Alert: ${result.message}.`);
		} else {
			output.warning('alert-failed', result.message);
		}
	}

	return run;
}
