import fs from 'node:fs';
import path from 'node:path';
import {shown} from './fields.js';
import type {SettingsShape} from './sections.js';

/**
 * Rules across fields, which one field's type cannot say: sources that do not overlap, a scratch
 * folder that cannot land in the clinic's data or a repository, names that plans and the rotation
 * can rely on. Each problem names its field, the bad value and what would be right.
 */
export type Problem = {field: string; problem: string};

export type RuleOptions = {
	/**
	 * Saving: sources must exist, except those already saved (a source that went missing is the
	 * backup's to report, and must not stop the technician from changing anything else).
	 */
	saving?: {savedSources: readonly string[]};
};

type Rule = (settings: SettingsShape, options: RuleOptions) => Problem[];

/** The path with symlinks resolved as far as it exists, so a link to the data counts as the data. */
function real(location: string): string {
	try {
		return fs.realpathSync.native(location);
	} catch {
		const parent = path.dirname(location);
		return parent === location ? location : path.join(real(parent), path.basename(location));
	}
}

/** Whether `inner` is `outer` or below it, by name and after resolving symlinks. */
export function within(inner: string, outer: string): boolean {
	const below = (a: string, b: string) => {
		const relative = path.relative(b, a);
		return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
	};

	return below(path.resolve(inner), path.resolve(outer)) || below(real(inner), real(outer));
}

type Source = {field: string; path: string};

function sourcesOf(settings: SettingsShape): Source[] {
	return [
		...settings.sources.map((source, index) => ({field: `sources[${index}]`, path: source})),
		...settings.plans.flatMap((plan, planIndex) => (plan.sources ?? []).map((source, index) => ({field: `plans[${planIndex}].sources[${index}]`, path: source}))),
	];
}

function overlapping(sources: Source[]): Problem[] {
	const problems: Problem[] = [];
	for (const [index, source] of sources.entries()) {
		const earlier = sources.slice(0, index).find(other => within(source.path, other.path) || within(other.path, source.path));
		if (!earlier) {
			continue;
		}

		const how = path.resolve(source.path) === path.resolve(earlier.path) ? `is already listed as ${earlier.field}` : (within(source.path, earlier.path) ? `is inside ${earlier.field} ${shown(earlier.path)}` : `contains ${earlier.field} ${shown(earlier.path)}`);
		problems.push({field: source.field, problem: `${shown(source.path)} ${how}: list each folder once, and not a folder and one below it`});
	}

	return problems;
}

const distinctSources: Rule = settings => [
	...overlapping(sourcesOf(settings).filter(source => source.field.startsWith('sources'))),
	...settings.plans.flatMap((_plan, planIndex) => overlapping(sourcesOf(settings).filter(source => source.field.startsWith(`plans[${planIndex}]`)))),
];

const sourcesExist: Rule = (settings, options) => {
	if (!options.saving) {
		return [];
	}

	const saved = new Set(options.saving.savedSources);
	return sourcesOf(settings)
		.filter(source => !saved.has(source.path) && !fs.existsSync(source.path))
		.map(source => ({field: source.field, problem: `${shown(source.path)} does not exist: check the path (mount the share first if it is on one)`}));
};

/** A test restore must never write into the clinic's live data or into a repository. */
const safeScratch: Rule = settings => {
	const {scratch} = settings;
	const fix = 'choose an empty folder outside every source and repository, e.g. /var/tmp/sedai-restore';
	for (const source of sourcesOf(settings)) {
		if (within(scratch, source.path)) {
			return [{field: 'scratch', problem: `${shown(scratch)} is inside ${source.field} ${shown(source.path)}, so a test restore would write into the clinic's data: ${fix}`}];
		}

		if (within(source.path, scratch)) {
			return [{field: 'scratch', problem: `${shown(scratch)} contains ${source.field} ${shown(source.path)}, so a test restore would write among the clinic's data: ${fix}`}];
		}
	}

	for (const [index, target] of settings.targets.entries()) {
		if (target.kind === 'folder' && target.path && path.isAbsolute(target.path) && within(scratch, target.path)) {
			return [{field: 'scratch', problem: `${shown(scratch)} is inside the repository of targets[${index}] (${target.name}) ${shown(target.path)}: ${fix}`}];
		}
	}

	return [];
};

function duplicates(names: string[], field: (index: number) => string, what: string): Problem[] {
	return names.flatMap((name, index) => names.indexOf(name) < index ? [{field: field(index), problem: `${shown(name)} is already the name of another ${what}: give each ${what} its own name`}] : []);
}

const targetsAreSound: Rule = settings => [
	...duplicates(settings.targets.map(target => target.name), index => `targets[${index}].name`, 'target'),
	...settings.targets.flatMap((target, index) => {
		if (target.kind !== 'folder' || (target.path && path.isAbsolute(target.path))) {
			return [];
		}

		const problem = target.path === undefined ? `the folder target ${shown(target.name)} has no path` : `${shown(target.path)} is not an absolute path, and a folder target needs one`;
		return [{field: `targets[${index}].path`, problem: `${problem}: give its repository folder's full path, e.g. /mnt/nas/sedai`}];
	}),
];

const plansAreSound: Rule = settings => {
	const targets = new Set(settings.targets.map(target => target.name));
	return [
		...duplicates(settings.plans.map(plan => plan.name), index => `plans[${index}].name`, 'plan'),
		...settings.plans.flatMap((plan, index) => plan.targets.length === 0
			? [{field: `plans[${index}].targets`, problem: `the plan ${shown(plan.name)} has no targets: name at least one target to back up to`}]
			: plan.targets.flatMap((name, targetIndex) => targets.has(name) ? [] : [{field: `plans[${index}].targets[${targetIndex}]`, problem: `${shown(name)} is not a target: add it under targets, or use one of ${[...targets].map(target => shown(target)).join(', ') || '(no targets yet)'}`}])),
	];
};

const rotationIsCartridges: Rule = settings => {
	const cartridges = new Set(settings.targets.filter(target => target.kind === 'cartridge').map(target => target.name));
	return [
		...settings.rotation.flatMap((name, index) => cartridges.has(name) ? [] : [{field: `rotation[${index}]`, problem: `${shown(name)} is not a cartridge target: rotate only cartridges listed under targets (${[...cartridges].map(target => shown(target)).join(', ') || 'none yet'})`}]),
		...duplicates(settings.rotation, index => `rotation[${index}]`, 'cartridge in the rotation'),
	];
};

export const settingsRules: Rule[] = [distinctSources, sourcesExist, safeScratch, targetsAreSound, plansAreSound, rotationIsCartridges];
