import fs from 'node:fs/promises';
import path from 'node:path';
import {runRestore, type RestoreResult} from '../../core/jobs/restore.js';
import {runVerify} from '../../core/jobs/verify.js';
import {SedaiError} from '../../core/errors.js';
import {toText} from '../../core/byte-path.js';
import type {GenerationInfo} from '../../core/repository/generations.js';
import type {Repository} from '../../core/repository/repository.js';
import type {DatabasesCheck, DrillReport, DrillStepId, ReportLanguage, SiteCheckResult, SmartVerdict, VerdictReason} from '../../report/drill-report.js';
import {checkDatabases} from '../../system/postgres/check-databases.js';
import {runSiteCheck} from '../../system/site-check.js';
import type {SiteSettings} from '../../settings/schema.js';
import {recordDrill} from '../../settings/remember.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd, type JobHandle} from './job.js';
import {knownMedium, mediumAt, type Medium} from './locate.js';
import {compareWithLive, type LiveSample} from './drill/live-compare.js';
import {cleanestNewest, proposeDrill} from './drill/proposal.js';
import {keepReport, type ReportFiles} from './drill/report-files.js';
import {DrillSteps} from './drill/steps.js';
import {scratchFolder} from './scratch.js';

/**
 * A restore drill: the test restore a ransomware recovery would need, proven end to end and
 * timed step by step — open the medium (and its SMART verdict), check the seal chain, restore
 * into a fresh private scratch folder, verify every restored byte, compare a sample with the
 * live data, load every EHR database dump into a throwaway PostgreSQL, run the site's checks,
 * sign off — and a report the clinic keeps (here, in a named folder, and sealed on the medium).
 */
export type DrillRequest = {
	target?: string;
	repo?: string;
	medium?: Medium;
	generation?: string;
	include?: string[];
	operator?: string;
	witness?: string;
	note?: string;
	/** Keep the restored copy (default: delete it once the drill is done). */
	keep?: boolean;
	reportDir?: string;
	language?: ReportLanguage;
};

export type DrillRunResult = {report: DrillReport; files: ReportFiles; kept?: string};

const phaseOf: Record<DrillStepId, 'open' | 'check' | 'restore' | 'verify' | 'seal'> = {
	'open-medium': 'open',
	'check-chain': 'check',
	restore: 'restore',
	verify: 'verify',
	'compare-live': 'verify',
	'application-check': 'check',
	'sign-off': 'seal',
};

async function chooseMedium(context: OperationContext, request: DrillRequest): Promise<Medium> {
	if (request.medium) {
		return request.medium;
	}

	if (request.repo) {
		return mediumAt(context, request.repo);
	}

	if (request.target) {
		const record = context.state.cartridges().find(item => item.label === request.target) ?? context.state.findByLabel(request.target);
		const proposal = record ? await proposeDrillFor(context, record.id) : undefined;
		if (!proposal) {
			throw new SedaiError('not-found', `"${request.target}" is not connected: insert it (or name --repo PATH) and run the drill again.`);
		}

		return proposal;
	}

	const proposal = await proposeDrill(context);
	if (!proposal) {
		throw new SedaiError('not-found', 'No medium with generations is known here: back up first, or name --repo PATH.');
	}

	if (!proposal.medium) {
		throw new SedaiError('not-found', `The drill should use "${proposal.label}": it has gone longest without a drill${proposal.lastDrill ? ` (last ${proposal.lastDrill.slice(0, 10)})` : ' (never drilled)'} and is offline. Insert it and run the drill again, or name another with --target NAME.`);
	}

	return proposal.medium;
}

async function proposeDrillFor(context: OperationContext, repositoryId: string): Promise<Medium | undefined> {
	const record = context.state.cartridge(repositoryId);
	if (!record?.lastPath || record.offlineSince) {
		return undefined;
	}

	return knownMedium(record.lastPath, record.id, record.label, record.removable === false ? 'folder' : 'cartridge');
}

async function smartOf(context: OperationContext, repositoryId: string): Promise<{verdict: SmartVerdict; detail?: string}> {
	try {
		const report = await context.drives.list({state: context.state});
		const drive = report.drives.find(item => item.filesystems.some(filesystem => filesystem.repositories.some(repository => repository.id === repositoryId)));
		if (!drive?.smart.available) {
			return {verdict: 'unknown', ...(drive?.smart.note ? {detail: drive.smart.note} : {})};
		}

		return {verdict: drive.smart.verdict === 'failing' ? 'failed' : 'passed', ...(drive.smart.reasons.length > 0 ? {detail: drive.smart.reasons.join(' ')} : {})};
	} catch {
		return {verdict: 'unknown'};
	}
}

async function siteChecks(settings: SiteSettings, restored: string, signal: AbortSignal | undefined): Promise<SiteCheckResult[]> {
	const results: SiteCheckResult[] = [];
	for (const check of settings.drill.checks) {
		results.push(await runSiteCheck(check, restored, {...(signal ? {signal} : {})}));
	}

	return results;
}

type Evidence = {
	medium: Medium;
	smart: {verdict: SmartVerdict; detail?: string};
	generation: GenerationInfo;
	chain: {ok: boolean; detail?: string};
	restore: RestoreResult;
	live: LiveSample[];
	databases: DatabasesCheck;
	site: SiteCheckResult[];
};

function verdictOf(evidence: Evidence): VerdictReason[] {
	const reasons: VerdictReason[] = [];
	const {restore} = evidence;
	if (evidence.smart.verdict === 'failed') {
		reasons.push({code: 'smart-failed', ...(evidence.smart.detail ? {detail: evidence.smart.detail} : {})});
	}

	if (!evidence.chain.ok) {
		reasons.push({code: 'chain-broken', ...(evidence.chain.detail ? {detail: evidence.chain.detail} : {})});
	}

	if (restore.mismatches.length > 0 || restore.damaged.length > 0 || restore.refused.length > 0) {
		reasons.push({code: 'byte-mismatch', detail: [...restore.mismatches, ...restore.refused].map(problem => problem.path).slice(0, 20).join(', ')});
	}

	const missing = evidence.live.filter(sample => sample.status === 'missing');
	if (missing.length > 0) {
		reasons.push({code: 'missing-from-live', detail: missing.map(sample => sample.path).slice(0, 20).join(', ')});
	}

	for (const database of evidence.databases.databases.filter(item => !item.ok)) {
		reasons.push({code: 'database-failed', detail: `${database.file}: ${database.error ?? 'did not load'}`});
	}

	for (const check of evidence.site.filter(item => !item.ok)) {
		reasons.push({code: 'site-check-failed', detail: `${check.name}${check.timedOut ? ' (timed out)' : ` (exit ${check.exitCode ?? '?'})`}`});
	}

	return reasons;
}

function buildReport(context: OperationContext, request: DrillRequest, settings: SiteSettings, evidence: Evidence, steps: DrillSteps, started: Date): DrillReport {
	const finished = context.now?.() ?? new Date();
	const {medium, generation, restore, live} = evidence;
	const record = context.state.cartridge(medium.repositoryId);
	const reasons = verdictOf(evidence);
	const count = (status: LiveSample['status']) => live.filter(sample => sample.status === status).length;
	return {
		version: 1,
		language: request.language ?? (settings.language === 'ja' ? 'ja' : 'en'),
		site: settings.site,
		startedAt: started.toISOString(),
		finishedAt: finished.toISOString(),
		timeZone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
		operator: request.operator ?? '',
		witness: request.witness ?? '',
		note: request.note ?? '',
		medium: {label: medium.label, id: medium.repositoryId, kind: medium.kind === 'cartridge' ? 'rdx' : 'folder', ...(record?.offlineSince ? {offlineSince: record.offlineSince} : {}), smart: evidence.smart},
		generation: {seq: generation.seq, id: generation.id, time: generation.time, ageMs: Math.max(0, started.getTime() - Date.parse(generation.time))},
		chain: evidence.chain,
		verification: {ok: restore.ok, filesChecked: restore.files, bytesChecked: restore.bytes, mismatches: [...restore.mismatches, ...restore.refused].map(problem => ({path: problem.path, problem: problem.reason}))},
		restored: {files: restore.files, bytes: restore.bytes},
		liveComparison: {sampled: live.length, identical: count('identical'), changed: count('changed'), missing: count('missing'), samples: live.filter(sample => sample.status !== 'identical').slice(0, 50)},
		applicationChecks: {databases: evidence.databases, site: evidence.site},
		steps: steps.list,
		totalMs: finished.getTime() - started.getTime(),
		verdict: {passed: reasons.length === 0, reasons},
	};
}

/** A report names dumps as they are in the generation: the scratch copy is gone after the drill. */
function relativeFiles(check: DatabasesCheck, restored: string): DatabasesCheck {
	return {...check, databases: check.databases.map(database => ({...database, file: path.relative(restored, database.file)}))};
}

async function gather(context: OperationContext, job: JobHandle, request: DrillRequest, settings: SiteSettings, steps: DrillSteps, into: {folder?: string}): Promise<{evidence: Evidence; repository: Repository}> {
	const {signal} = context;
	const medium = await steps.run('open-medium', async () => chooseMedium(context, request));
	const repository = await context.media.openAt(medium.root, medium.repositoryId);
	const smart = await smartOf(context, repository.id);
	const {generations} = await repository.listGenerations();
	const generation = request.generation ? await repository.resolveGeneration(request.generation) : cleanestNewest(generations);
	if (!generation) {
		throw new SedaiError('not-found', `"${repository.label}" holds no generation to drill with: back up first.`);
	}

	const chain = await steps.run('check-chain', async () => {
		const result = await runVerify(repository, {level: 'structure', signal, onEvent: job.onEvent, record: false});
		return {ok: result.ok, ...(result.ok ? {} : {detail: result.problems.slice(0, 5).map(problem => problem.message).join(' ')})};
	}, result => ({passed: result.ok, ...(result.detail ? {detail: result.detail} : {})}));
	into.folder = scratchFolder(settings.scratch, repository.label, context.now?.() ?? new Date());
	const restore = await steps.run('restore', async () => runRestore(repository, {generation: generation.id, into: into.folder!, purpose: 'test', ...(request.include?.length ? {include: request.include} : {}), signal, onEvent: job.onEvent}), result => ({passed: result.refused.length === 0}));
	steps.list.push({id: 'verify', status: restore.ok ? 'passed' : 'failed', durationMs: restore.verifyMs, ...(restore.ok ? {} : {detail: `${restore.mismatches.length} mismatch(es), ${restore.damaged.length} damaged`})});
	const sources = new Map(generation.sources.map(source => [toText(source.name), toText(source.path)]));
	const live = await steps.run('compare-live', async () => compareWithLive(into.folder!, sources, settings.drill.liveSample), samples => ({passed: !samples.some(sample => sample.status === 'missing')}));
	const application = await steps.run('application-check', async () => ({databases: relativeFiles(await checkDatabases(into.folder!, settings.scratch, {...(signal ? {signal} : {})}), into.folder!), site: await siteChecks(settings, into.folder!, signal)}), result => ({passed: result.databases.databases.every(item => item.ok) && result.site.every(item => item.ok), ...(result.databases.note ? {detail: result.databases.note} : {})}));
	return {repository, evidence: {medium, smart, generation, chain, restore, live, databases: application.databases, site: application.site}};
}

export async function runDrill(context: OperationContext, request: DrillRequest): Promise<JobEnd<DrillRunResult>> {
	const label = request.medium?.label ?? request.target ?? request.repo ?? 'proposed medium';
	return runJob(context, {kind: 'drill', label}, async job => {
		const settings = context.settings();
		const started = context.now?.() ?? new Date();
		const steps = new DrillSteps(id => {
			job.phase(phaseOf[id], `Drill step: ${id}`);
		});
		const into: {folder?: string} = {};
		try {
			const {evidence, repository} = await gather(context, job, request, settings, steps, into);
			steps.list.push({id: 'sign-off', status: 'passed', durationMs: 0, ...(request.operator ?? request.witness ? {detail: [request.operator, request.witness].filter(Boolean).join(' / ')} : {})});
			const report = buildReport(context, request, settings, evidence, steps, started);
			const files = await keepReport(report, repository, request.reportDir, message => {
				job.warn('report-not-on-medium', message);
			});
			try {
				recordDrill(context.state, repository, evidence.restore, {passed: report.verdict.passed, report: files.json, rtoMs: report.totalMs});
			} catch {
				// The report files are the record; the local list catches up.
			}

			const damage = report.verdict.reasons.some(reason => reason.code === 'byte-mismatch' || reason.code === 'chain-broken');
			return {status: report.verdict.passed ? 'ok' : (damage ? 'damage' : 'failed'), result: {report, files, ...(request.keep ? {kept: into.folder} : {})}};
		} finally {
			if (into.folder && !request.keep) {
				await removeScratch(into.folder);
			}
		}
	});
}

/** Patient data must not linger in the scratch folder (test restores drop protection bits, so it can go). */
async function removeScratch(folder: string): Promise<void> {
	await fs.rm(folder, {recursive: true, force: true}).catch(() => undefined);
}
