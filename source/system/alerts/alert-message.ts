import type {PlanRun} from '../../settings/run-status.js';

/** What an alert says, the same facts for mail and webhook. */
export type AlertKind = 'failed' | 'suspect' | 'test';

/** Alert when the run failed or a generation is suspect; a good night stays quiet. */
export function alertKind(run: PlanRun): AlertKind | undefined {
	if (!run.ok) {
		return 'failed';
	}

	return run.suspect ? 'suspect' : undefined;
}

export function alertSubject(kind: AlertKind, run: PlanRun): string {
	switch (kind) {
		case 'failed': {
			return `[Sedai] ${run.site}: backup plan "${run.plan}" FAILED${run.failures[0] ? ` (${run.failures[0]})` : ''}`;
		}

		case 'suspect': {
			return `[Sedai] ${run.site}: backup plan "${run.plan}" is SUSPECT (possible ransomware)`;
		}

		case 'test': {
			return `[Sedai] ${run.site}: test alert from ${run.host}`;
		}
	}
}

export function alertBody(kind: AlertKind, run: PlanRun): string {
	const lines = [
		`Site: ${run.site} (host ${run.host})`,
		`Plan: ${run.plan}`,
		`Started: ${run.time}${run.ended ? `, ended ${run.ended}` : ''}`,
		`Result: ${kind === 'test' ? 'test alert (no backup ran)' : (run.ok ? 'sealed' : 'FAILED')}`,
		`Sealed on: ${run.sealed.join(', ') || 'none'}`,
		...(run.offline.length > 0 ? [`Offline (skipped): ${run.offline.join(', ')}`] : []),
		...run.failures.map(failure => `Failure: ${failure}`),
		...(run.suspect ? ['SUSPECT: the sentinel flagged the new generation as a possible ransomware attack. Check the clinic\'s files before trusting it; the clean generations before it are kept.'] : []),
		'',
		'Run `sedai status` on the server for details.',
	];
	return `${lines.join('\n')}\n`;
}

/** The webhook's JSON body. */
export function alertPayload(kind: AlertKind, run: PlanRun): Record<string, unknown> {
	return {
		source: 'sedai',
		kind,
		site: run.site,
		host: run.host,
		plan: run.plan,
		result: kind === 'test' ? 'test' : (run.ok ? 'ok' : 'failed'),
		failures: run.failures,
		suspect: run.suspect,
		sealed: run.sealed,
		offline: run.offline,
		time: run.time,
		...(run.ended ? {ended: run.ended} : {}),
		subject: alertSubject(kind, run),
	};
}
