import fs from 'node:fs/promises';
import path from 'node:path';
import {runBackup} from '../../core/jobs/backup.js';
import {Repository} from '../../core/repository/repository.js';
import {SedaiError, exitCodes, isSedaiError} from '../../core/errors.js';
import type {GenerationInfo} from '../../core/repository/generations.js';
import {sentinelFor} from '../../core/policy/sentinel.js';
import {gatherMedia} from '../../core/policy/media.js';
import {rotationStatus} from '../../core/policy/rotation.js';
import {message} from '../../core/message.js';
import {cliLanguage, renderMessage} from '../../text/messages/render.js';
import {defaultSettings, type SiteSettings, type Target} from '../../settings/schema.js';
import {SettingsStore} from '../../settings/store.js';
import {driveSource} from '../../system/drive-source.js';
import {assertWritableMedium} from '../../system/write-protect.js';
import {protectNewGeneration} from '../../system/seal-protection.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {localState, remember} from '../context.js';
import {passphraseFor, type PassphraseOptions} from '../passphrase.js';
import type {Output} from '../output.js';
import {cancelOnSignals} from '../signals.js';

/**
 * `sedai backup --plan NAME`: the same sources backed up to every target of the plan that is
 * here (two cartridges, a cartridge and a NAS folder …). Each target gets its own sealed
 * generation of identical content (deduplicated on each), all stamped with one time. A target
 * that is not connected is reported as offline, not as a failure: with rotation, two of three
 * cartridges are meant to be on the shelf. Exit 0 when at least one target sealed.
 */
export type PlanOptions = PassphraseOptions & {tag?: string[]; json?: boolean};

type Found = {path: string; id: string; label: string};

export type TargetOutcome = {
	name: string;
	kind: Target['kind'];
	status: 'sealed' | 'offline' | 'error';
	repository?: string;
	label?: string;
	generation?: string;
	shortId?: string;
	seq?: number;
	newBytes?: number;
	suspect?: boolean;
	reasons?: string[];
	protection?: string;
	message?: string;
};

/** The site's sentinel thresholds; a broken settings file must not stop the backup itself. */
export function sentinelFromSettings(output: Output): ReturnType<typeof sentinelFor> {
	let thresholds = defaultSettings().sentinel;
	try {
		thresholds = new SettingsStore().get().sentinel;
	} catch (error) {
		output.warning('bad-config', `${error instanceof Error ? error.message : String(error)} The ransomware sentinel uses its default thresholds.`);
	}

	return sentinelFor(thresholds);
}

/** Say it loudly: a suspect generation may hold encrypted data. */
export function reportSentinel(output: Output, generation: GenerationInfo, where: string): void {
	const verdict = generation.sentinel;
	if (!verdict?.suspect) {
		return;
	}

	output.warning('suspect', `SUSPECT: generation ${generation.shortId} (#${generation.seq}) in ${where} looks like a ransomware attack; it is sealed and kept, and retention keeps the clean generations before it. Check the clinic's files before trusting it. ${verdict.reasons.join(' ')}`);
}

async function discover(): Promise<Found[]> {
	try {
		const report = await driveSource().list();
		return report.drives.flatMap(drive => drive.filesystems.flatMap(filesystem => filesystem.repositories));
	} catch {
		// Drive discovery is a convenience here; the remembered paths below still work.
		return [];
	}
}

async function identity(root: string): Promise<Found | undefined> {
	try {
		const config = await Repository.identify(root);
		return {path: root, id: config.id, label: config.label};
	} catch {
		return undefined;
	}
}

/** Where a target's repository is right now, or why it is not here. */
async function locate(target: Target, found: Found[]): Promise<{root: string} | {offline: string} | {error: string}> {
	if (target.kind === 'folder') {
		if (!target.path) {
			return {error: `The folder target ${target.name} has no path: set targets[].path in ${new SettingsStore().path}.`};
		}

		const exists = await fs.stat(target.path).then(() => true, () => false);
		if (!exists) {
			return {offline: `${target.path} is not reachable (share not mounted?)`};
		}

		return (await identity(target.path))
			? {root: target.path}
			: {error: `${target.path} holds no Sedai repository: create one with \`sedai init ${target.path}\`.`};
	}

	const label = target.label ?? target.name;
	const seen = found.find(candidate => candidate.label === label);
	if (seen) {
		return {root: seen.path};
	}

	// Until drive discovery finds it: where it was last seen, if it is still there and was not
	// ejected since (an ejected cartridge's folder may linger, e.g. in the demo world's shelf).
	for (const record of localState().cartridges().filter(candidate => candidate.label === label && candidate.lastPath)) {
		const here = await identity(record.lastPath!);
		if (here?.id === record.id && !record.offlineSince) {
			return {root: record.lastPath!};
		}
	}

	const record = localState().findByLabel(label);
	return {offline: record?.offlineSince ? `${record.offlineReason === 'disappeared' ? 'missing' : 'ejected'} since ${record.offlineSince.slice(0, 10)}` : 'not connected'};
}

export async function runPlanBackup(planName: string, options: PlanOptions, output: Output): Promise<number> {
	const store = new SettingsStore();
	const settings: SiteSettings = store.get();
	const plan = settings.plans.find(candidate => candidate.name === planName);
	if (!plan) {
		const names = settings.plans.map(candidate => candidate.name);
		throw new SedaiError('usage', `There is no backup plan "${planName}"${names.length > 0 ? ` (plans: ${names.join(', ')})` : ''}: define it under plans in ${store.path}.`);
	}

	const sources = plan.sources ?? settings.sources;
	if (sources.length === 0) {
		throw new SedaiError('bad-config', `The plan "${plan.name}" has no sources: set plans[].sources or sources in ${store.path}.`);
	}

	const unknown = plan.targets.filter(name => !settings.targets.some(target => target.name === name));
	if (unknown.length > 0 || plan.targets.length === 0) {
		throw new SedaiError('bad-config', unknown.length > 0
			? `The plan "${plan.name}" names unknown target(s) ${unknown.join(', ')}: define them under targets in ${store.path}.`
			: `The plan "${plan.name}" names no targets: list two or more under plans[].targets in ${store.path}.`);
	}

	const signal = cancelOnSignals(output);
	const sentinel = sentinelFor(settings.sentinel);
	const found = plan.targets.some(name => settings.targets.find(target => target.name === name)?.kind === 'cartridge') ? await discover() : [];
	const now = new Date();
	const outcomes: TargetOutcome[] = [];
	for (const name of plan.targets) {
		const target = settings.targets.find(candidate => candidate.name === name)!;
		const outcome: TargetOutcome = {name, kind: target.kind, status: 'offline'};
		outcomes.push(outcome);
		if (signal.aborted) {
			outcome.status = 'error';
			outcome.message = 'cancelled before it started';
			continue;
		}

		const where = await locate(target, found);
		if ('offline' in where) {
			outcome.message = where.offline;
			output.text(`${name}: offline (${where.offline}); skipped.`);
			continue;
		}

		if ('error' in where) {
			outcome.status = 'error';
			outcome.message = where.error;
			output.warning('target-error', `${name}: ${where.error}`);
			continue;
		}

		outcome.repository = path.resolve(where.root);
		try {
			const repository = await Repository.open(where.root, async config => passphraseFor(options, config.label));
			outcome.label = repository.label;
			await assertWritableMedium(repository.root, repository.label);
			output.text(`${name}: backing up to "${repository.label}" at ${repository.root} …`);
			const result = await runBackup(repository, {sources, tags: [...options.tag ?? [], `plan:${plan.name}`], signal, onEvent: output.onEvent, now, sentinel});
			await remember(repository);
			const {generation} = result;
			const protection = await protectNewGeneration(localState(), repository.id, generation.id, result.writtenFiles);
			Object.assign(outcome, {
				status: 'sealed',
				generation: generation.id,
				shortId: generation.shortId,
				seq: generation.seq,
				newBytes: generation.totals.newBytes,
				suspect: generation.sentinel?.suspect ?? false,
				...(generation.sentinel?.suspect ? {reasons: generation.sentinel.reasons} : {}),
				protection: protection.protection,
			});
			reportSentinel(output, generation, name === repository.label ? `"${name}"` : `${name} ("${repository.label}")`);
			output.text(`${name}: sealed generation ${generation.shortId} (#${generation.seq}): ${formatCount(generation.totals.files)} files, ${formatBytes(generation.totals.bytes)}; ${formatBytes(generation.totals.newBytes)} new, in ${formatDuration(generation.totals.durationMs)}; protection: ${protection.protection}.`);
		} catch (error) {
			outcome.status = 'error';
			outcome.message = error instanceof Error ? error.message : String(error);
			output.warning(isSedaiError(error) ? error.code : 'target-error', `${name}: ${outcome.message}`);
		}
	}

	for (const outcome of outcomes) {
		output.record('target', outcome);
	}

	const sealed = outcomes.filter(outcome => outcome.status === 'sealed');
	const offline = outcomes.filter(outcome => outcome.status === 'offline');
	const failed = outcomes.filter(outcome => outcome.status === 'error');
	const rotation = rotationStatus(settings.rotation, settings.targets, await gatherMedia(localState().cartridges()));
	const suspect = sealed.some(outcome => outcome.suspect);
	output.summary({
		ok: sealed.length > 0,
		plan: plan.name,
		time: now.toISOString(),
		sealed: sealed.map(outcome => outcome.name),
		offline: offline.map(outcome => outcome.name),
		failed: failed.map(outcome => outcome.name),
		suspect,
		targets: outcomes,
		rotation: {due: rotation.due, lastUsed: rotation.lastUsed, mustGoOffline: rotation.mustGoOffline, advice: rotation.advice.map(line => renderMessage(line, 'en')), adviceMessages: rotation.advice},
	}, [
		`Plan "${plan.name}": sealed on ${sealed.length} of ${outcomes.length} target(s)${sealed.length > 0 ? ` (${sealed.map(outcome => outcome.name).join(', ')})` : ''}${offline.length > 0 ? `; offline: ${offline.map(outcome => outcome.name).join(', ')}` : ''}${failed.length > 0 ? `; FAILED: ${failed.map(outcome => `${outcome.name} (${outcome.message ?? 'error'})`).join(', ')}` : ''}.`,
		...(suspect ? ['SUSPECT: the sentinel flagged this backup as a possible ransomware attack (see the warnings above).'] : []),
		...(sealed.length === 1 && outcomes.length > 1 ? ['Only one target holds this generation: the guideline asks for more than one method.'] : []),
		...rotation.advice.map(line => renderMessage(message('report.rotation', {advice: line}), cliLanguage(process.env, settings.language))),
	]);
	return sealed.length > 0 ? exitCodes.ok : exitCodes.failure;
}
