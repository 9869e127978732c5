import os from 'node:os';
import type {Command} from 'commander';
import {SedaiError, exitCodes} from '../../core/errors.js';
import {lastRuns, type LastRun} from '../../settings/last-runs.js';
import {SettingsStore} from '../../settings/store.js';
import {alertsConfig, hasAlerts} from '../../settings/alerts-config.js';
import {sendAlert} from '../../system/alerts/notify-run.js';
import {listSchedules, type ScheduleEntry} from '../../system/schedule/list-schedules.js';
import type {Output} from '../output.js';
import type {Runner} from '../main.js';

/**
 * `sedai status`: the last run of each plan, for the technician and for monitoring systems:
 * exit 1 when a plan's last run failed, was interrupted, sealed a SUSPECT generation, or is
 * older than its schedule allows; 0 when every night went well.
 */
type Options = {json?: boolean; maxAge?: string; testAlert?: boolean};

/** A nightly timer's period plus two hours of slack (randomised delay, a long run, a late boot). */
const slackMs = 2 * 3_600_000;
const dailyMs = 24 * 3_600_000;

/** "30 h", "2.5 h", "12 min": ages a technician reads at a glance. */
function age(ms: number): string {
	return ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${Number((ms / 3_600_000).toFixed(1))} h`;
}

type Verdict = LastRun & {ageMs: number; expectedMs: number; problem?: string};

function judge(run: LastRun, expectedMs: number, now: number): Verdict {
	const ageMs = Math.max(0, now - (Date.parse(run.ended ?? run.time) || 0));
	const verdict: Verdict = {...run, ageMs, expectedMs};
	if (run.state === 'failed' || run.state === 'omissions' || run.state === 'interrupted' || run.state === 'cancelled') {
		verdict.problem = `last run ${run.state}${run.failures.length > 0 ? `: ${run.failures.join('; ')}` : ''}`;
	} else if (run.suspect) {
		verdict.problem = 'last run sealed a SUSPECT generation (possible ransomware)';
	} else if (ageMs > expectedMs) {
		verdict.problem = `last run is ${age(ageMs)} old, more than the ${age(expectedMs)} expected`;
	}

	return verdict;
}

function parseMaxAge(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	const hours = Number(text);
	if (!Number.isFinite(hours) || hours <= 0) {
		throw new SedaiError('usage', `--max-age ${text} is not a number of hours: write e.g. --max-age 26.`);
	}

	return hours * 3_600_000;
}

async function testAlert(output: Output, settings: {site: string; alerts?: unknown}): Promise<number> {
	const config = alertsConfig(settings);
	if (!hasAlerts(config)) {
		throw new SedaiError('bad-config', 'No alerts are configured: add an "alerts" section with "email" and/or "webhook" to settings.json.');
	}

	const run = {site: settings.site, plan: 'test', ok: true, time: new Date().toISOString(), sealed: [], offline: [], failures: [], suspect: false, host: os.hostname()};
	const outcomes = await sendAlert(config, 'test', run);
	for (const outcome of outcomes.filter(candidate => !candidate.ok)) {
		output.warning('alert-failed', outcome.message);
	}

	const ok = outcomes.every(outcome => outcome.ok);
	output.summary({ok, alerts: outcomes}, outcomes.filter(outcome => outcome.ok).map(outcome => `Test ${outcome.channel} ${outcome.message}.`));
	return ok ? exitCodes.ok : exitCodes.failure;
}

function report(output: Output, verdicts: Verdict[], lastBackup: ReturnType<typeof lastRuns>['lastBackup']): number {
	for (const verdict of verdicts) {
		output.record('plan', verdict);
	}

	const problems = verdicts.filter(verdict => verdict.problem);
	const ok = verdicts.length > 0 && problems.length === 0;
	output.summary({ok, plans: verdicts, ...(lastBackup ? {lastBackup} : {})}, [
		...verdicts.map(verdict => `${verdict.problem ? 'PROBLEM' : 'ok'}  plan "${verdict.plan}": ${verdict.state}, ${age(verdict.ageMs)} ago, sealed on ${verdict.sealed.join(', ') || 'none'}${verdict.offline.length > 0 ? `, offline ${verdict.offline.join(', ')}` : ''}${verdict.problem ? ` — ${verdict.problem}` : ''}.`),
		...(verdicts.length === 0 ? ['No backup plan has run yet: run `sedai backup --plan NAME` or schedule it with `sedai schedule install`.'] : []),
	]);
	return ok ? exitCodes.ok : exitCodes.failure;
}

export function registerStatus(program: Command, run: Runner): void {
	program.command('status')
		.description('last run of each backup plan; exit 1 when one failed or is overdue (for monitoring)')
		.option('--max-age <hours>', 'how old a plan\'s last run may be (default: its schedule\'s period + 2 h, else 26 h)')
		.option('--test-alert', 'send a test notification through the configured alerts')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const settings = new SettingsStore().get();
			if (options.testAlert) {
				return testAlert(output, settings);
			}

			const maxAge = parseMaxAge(options.maxAge);
			const schedules: ScheduleEntry[] = await listSchedules().catch(() => []);
			const {plans, lastBackup} = lastRuns(settings.site);
			const runs = new Map(plans.map(plan => [plan.plan, plan]));
			const scheduled = new Set(schedules.filter(entry => entry.kind === 'backup').map(entry => entry.plan));
			const now = Date.now();
			const verdicts = [...new Set([...runs.keys(), ...scheduled])].sort().map(plan => {
				const last = runs.get(plan);
				if (!last) {
					return {site: settings.site, plan, ok: false, time: '', sealed: [], offline: [], failures: [], suspect: false, host: os.hostname(), state: 'failed' as const, ageMs: 0, expectedMs: dailyMs + slackMs, problem: 'scheduled, but no run is recorded yet'};
				}

				return judge(last, maxAge ?? dailyMs + slackMs, now);
			});
			return report(output, verdicts, lastBackup);
		}));
}
