import fs from 'node:fs/promises';
import path from 'node:path';
import {Repository} from '../core/repository/repository.js';
import {layoutOf, repositoryFile} from '../core/repository/layout.js';
import {listGenerationIds} from '../core/repository/generations.js';
import {describeHolder, listLocks} from '../core/repository/lock.js';
import type {StateStore} from '../settings/state.js';
import type {RepositoryOnDrive} from './types.js';

/**
 * Which Sedai repositories a mounted filesystem holds, without a passphrase: the mount root,
 * `<mount>/sedai`, and every first-level folder. Generation counts come from the sealed files;
 * the newest time from the local memory when it knows every generation, else from file times.
 */
const skipped = new Set(['lost+found', 'proc', 'sys', 'dev', 'run', '$RECYCLE.BIN', 'System Volume Information']);

export async function candidateFolders(mountpoint: string): Promise<string[]> {
	const folders = [mountpoint, path.join(mountpoint, 'sedai')];
	try {
		for (const entry of await fs.readdir(mountpoint, {withFileTypes: true})) {
			if (entry.isDirectory() && !skipped.has(entry.name)) {
				folders.push(path.join(mountpoint, entry.name));
			}
		}
	} catch {
		// Unreadable mount (permissions, a dying medium): only the fixed places are tried.
	}

	return [...new Set(folders)];
}

export async function findRepositories(mountpoint: string, state?: StateStore): Promise<RepositoryOnDrive[]> {
	const found: RepositoryOnDrive[] = [];
	for (const folder of await candidateFolders(mountpoint)) {
		const repository = await describeRepository(folder, state);
		if (repository) {
			found.push(repository);
		}
	}

	return found;
}

/** A repository's identity and generation summary, or undefined when the folder holds none. */
export async function describeRepository(folder: string, state?: StateStore): Promise<RepositoryOnDrive | undefined> {
	try {
		await fs.access(path.join(folder, repositoryFile));
	} catch {
		return undefined;
	}

	let config: Awaited<ReturnType<typeof Repository.identify>>;
	try {
		config = await Repository.identify(folder);
	} catch {
		return undefined;
	}

	const layout = layoutOf(folder);
	const ids = await listGenerationIds(layout).catch(() => [] as string[]);
	const known = state?.cartridge(config.id);
	const remembered = new Map(known?.generations.map(generation => [generation.id, generation]));
	let newest: string | undefined;
	let approximate = false;
	if (ids.length > 0 && ids.every(id => remembered.has(id))) {
		newest = ids.map(id => remembered.get(id)!.time).sort().at(-1);
	} else if (ids.length > 0) {
		let newestMs = 0;
		for (const id of ids) {
			const stats = await fs.stat(path.join(layout.generations, `${id}.gen`)).catch(() => undefined);
			newestMs = Math.max(newestMs, stats?.mtimeMs ?? 0);
		}

		newest = newestMs > 0 ? new Date(newestMs).toISOString() : undefined;
		approximate = true;
	}

	// Any live lock, readers included: pulling a cartridge mid-restore is as bad as mid-backup.
	const locks = await listLocks(layout);
	const holders = locks.filter(lock => lock.state === 'alive');
	return {
		path: folder,
		id: config.id,
		label: config.label,
		...(config.site ? {site: config.site} : {}),
		encrypted: Boolean(config.encryption),
		generations: ids.length,
		...(newest ? {newest} : {}),
		...(approximate ? {newestApproximate: true} : {}),
		...(holders.length > 0 ? {busy: holders.map(lock => describeHolder(lock)).join('; ')} : {}),
	};
}
