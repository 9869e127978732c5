import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError} from '../../core/errors.js';
import {Repository} from '../../core/repository/repository.js';
import type {Target} from '../../settings/schema.js';
import type {OperationContext} from './context.js';

/**
 * Where a medium is right now. Operations work on a Medium: a repository folder together with
 * the id it must have, so a cartridge is always recognised by its repository id (a label only
 * finds candidates; the id decides), and a cartridge swapped for another with the same label is
 * refused instead of written to.
 */
export type Medium = {
	root: string;
	repositoryId: string;
	label: string;
	kind: Target['kind'];
	/** The site target it stands for, when it is one. */
	target?: string;
};

export type Located = {medium: Medium} | {offline: string; repositoryId?: string} | {error: SedaiError};

type Found = {path: string; id: string; label: string};

/** `--repo PATH`: whatever repository is there. */
export async function mediumAt(context: OperationContext, root: string): Promise<Medium> {
	const config = await Repository.identify(root);
	const resolved = path.resolve(root);
	const target = targetFor(trySettingsTargets(context), config.label, resolved);
	const record = context.state.cartridge(config.id);
	const kind = target?.kind ?? (record?.removable === true ? 'cartridge' : 'folder');
	return {root: resolved, repositoryId: config.id, label: config.label, kind, ...(target ? {target: target.name} : {})};
}

/** A medium the front end already knows (the TUI's catalog): checked by id when opened. */
export function knownMedium(root: string, repositoryId: string, label: string, kind: Target['kind'], target?: string): Medium {
	return {root, repositoryId, label, kind, ...(target ? {target} : {})};
}

function trySettingsTargets(context: OperationContext): Target[] {
	try {
		return context.settings().targets;
	} catch {
		return [];
	}
}

function targetFor(targets: Target[], label: string, root: string): Target | undefined {
	return targets.find(target => target.kind === 'folder' ? target.path !== undefined && path.resolve(target.path) === root : (target.label ?? target.name) === label);
}

/** Repositories on the drives connected now (a convenience: remembered paths still work without it). */
export async function discover(context: OperationContext): Promise<Found[]> {
	try {
		const report = await context.drives.list({state: context.state});
		return report.drives.flatMap(drive => drive.filesystems.flatMap(filesystem => filesystem.repositories));
	} catch {
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

export async function locateTarget(context: OperationContext, target: Target, found: Found[]): Promise<Located> {
	return target.kind === 'folder' ? locateFolder(target) : locateCartridge(context, target, found);
}

async function locateFolder(target: Target): Promise<Located> {
	if (!target.path) {
		return {error: new SedaiError('bad-config', `The folder target ${target.name} has no path: set targets[].path in the site settings.`)};
	}

	if (!await fs.stat(target.path).then(() => true, () => false)) {
		return {offline: `${target.path} is not reachable (share not mounted?)`};
	}

	const here = await identity(target.path);
	return here
		? {medium: {root: path.resolve(target.path), repositoryId: here.id, label: here.label, kind: 'folder', target: target.name}}
		: {error: new SedaiError('not-a-repository', `${target.path} holds no Sedai repository: create one with \`sedai init ${target.path}\`.`)};
}

async function locateCartridge(context: OperationContext, target: Target, found: Found[]): Promise<Located> {
	const label = target.label ?? target.name;
	const known = context.state.cartridges().filter(record => record.label === label);
	const medium = (hit: Found): Medium => ({root: path.resolve(hit.path), repositoryId: hit.id, label: hit.label, kind: 'cartridge', target: target.name});
	const candidates = found.filter(candidate => candidate.label === label);
	// Known by id first; a cartridge never seen before is taken by its label.
	const byId = candidates.find(candidate => known.some(record => record.id === candidate.id));
	if (byId) {
		return {medium: medium(byId)};
	}

	if (candidates.length > 0) {
		if (known.length > 0) {
			return {error: new SedaiError('not-found', `The cartridge inserted as "${label}" (id ${candidates[0].id.slice(0, 8)}) is not the "${label}" known here (id ${known[0].id.slice(0, 8)}): nothing was written to it. Check that the right cartridge is inserted; a new cartridge needs a label of its own (\`sedai init --label NAME\`).`)};
		}

		return {medium: medium(candidates[0])};
	}

	// Until drive discovery finds it: where it was last seen, if it is still there and was not
	// ejected since (an ejected cartridge's folder may linger, e.g. on the demo world's shelf).
	for (const record of known.filter(item => item.lastPath && !item.offlineSince)) {
		const here = await identity(record.lastPath!);
		if (here?.id === record.id) {
			return {medium: medium(here)};
		}
	}

	const record = known[0];
	return {
		offline: record?.offlineSince ? `${record.offlineReason === 'disappeared' ? 'missing' : 'ejected'} since ${record.offlineSince.slice(0, 10)}` : 'not connected',
		...(record ? {repositoryId: record.id} : {}),
	};
}
