import path from 'node:path';
import {SedaiError} from '../../core/errors.js';
import type {Plan, SiteSettings, Target} from '../../settings/schema.js';
import type {OperationContext} from './context.js';
import {discover, locateTarget, mediumAt, type Medium} from './locate.js';

/**
 * What a backup request names, turned into media: a plan (its targets, its sources), target
 * names from the site settings, media the front end already located (the TUI), or a repository
 * path (`--repo`). Targets that are not here are listed as offline, with why.
 */
export type BackupRequest = {
	plan?: string;
	targets?: string[];
	media?: Medium[];
	repo?: string;
	/** Default: the plan's sources, else the site's. */
	sources?: string[];
	tags?: string[];
	now?: Date;
	workers?: number;
};

export type Unreachable = {name: string; kind: Target['kind']; offline?: string; error?: SedaiError; repositoryId?: string};

export type BackupPlan = {
	plan?: string;
	/** The plan's database dumps and before/after commands. */
	dumps?: Plan['dumps'];
	before?: Plan['before'];
	after?: Plan['after'];
	sources: string[];
	tags: string[];
	media: Medium[];
	unreachable: Unreachable[];
	/** Site settings when they could be read (sentinel thresholds, rotation). */
	settings?: SiteSettings;
};

function requirePlan(settings: SiteSettings, name: string) {
	const plan = settings.plans.find(candidate => candidate.name === name);
	if (!plan) {
		const names = settings.plans.map(candidate => candidate.name);
		throw new SedaiError('usage', `There is no backup plan "${name}"${names.length > 0 ? ` (plans: ${names.join(', ')})` : ''}: define it under plans in the site settings.`);
	}

	const unknown = plan.targets.filter(target => !settings.targets.some(candidate => candidate.name === target));
	if (unknown.length > 0 || plan.targets.length === 0) {
		throw new SedaiError('bad-config', unknown.length > 0
			? `The plan "${plan.name}" names unknown target(s) ${unknown.join(', ')}: define them under targets in the site settings.`
			: `The plan "${plan.name}" names no targets: list two or more under plans[].targets in the site settings.`);
	}

	return plan;
}

async function fromTargets(context: OperationContext, settings: SiteSettings, names: string[]): Promise<{media: Medium[]; unreachable: Unreachable[]}> {
	const targets = names.map(name => {
		const target = settings.targets.find(candidate => candidate.name === name);
		if (!target) {
			throw new SedaiError('usage', `There is no target "${name}": add it under targets in the site settings.`);
		}

		return target;
	});
	const found = targets.some(target => target.kind === 'cartridge') ? await discover(context) : [];
	const media: Medium[] = [];
	const unreachable: Unreachable[] = [];
	for (const target of targets) {
		const where = await locateTarget(context, target, found);
		if ('medium' in where) {
			media.push(where.medium);
		} else {
			unreachable.push({name: target.name, kind: target.kind, ...('offline' in where ? {offline: where.offline, ...(where.repositoryId ? {repositoryId: where.repositoryId} : {})} : {error: where.error})});
		}
	}

	return {media, unreachable};
}

export async function planBackup(context: OperationContext, request: BackupRequest): Promise<BackupPlan> {
	const tags = [...request.tags ?? []];
	if (!request.plan && !request.media && !request.targets) {
		if (!request.repo) {
			throw new SedaiError('usage', 'Which repository? Pass --repo PATH (a folder holding a Sedai repository), or use --plan NAME.');
		}

		if (!request.sources?.length) {
			throw new SedaiError('usage', 'What to back up? Name folders or files, or use --plan NAME.');
		}

		let settings: SiteSettings | undefined;
		try {
			settings = context.settings();
		} catch {
			// A one-off backup to a named repository does not need the site profile.
		}

		return {sources: request.sources.map(source => path.resolve(source)), tags, media: [await mediumAt(context, request.repo)], unreachable: [], ...(settings ? {settings} : {})};
	}

	const settings = context.settings();
	if (request.plan) {
		const plan = requirePlan(settings, request.plan);
		const sources = request.sources ?? plan.sources ?? settings.sources;
		if (sources.length === 0) {
			throw new SedaiError('bad-config', `The plan "${plan.name}" has no sources: set plans[].sources or sources in the site settings.`);
		}

		return {plan: plan.name, dumps: plan.dumps, before: plan.before, after: plan.after, sources, tags: [...tags, `plan:${plan.name}`], ...await fromTargets(context, settings, plan.targets), settings};
	}

	const sources = request.sources ?? settings.sources;
	if (sources.length === 0) {
		throw new SedaiError('usage', 'No sources to back up: add a folder under Settings → Sources.');
	}

	if (request.media) {
		return {sources, tags, media: request.media, unreachable: [], settings};
	}

	return {sources, tags, ...await fromTargets(context, settings, request.targets ?? []), settings};
}
