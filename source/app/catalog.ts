import fs from 'node:fs/promises';
import {Repository} from '../core/repository/repository.js';
import type {SiteSettings, Target} from '../settings/schema.js';
import type {CartridgeRecord, StateStore} from '../settings/state.js';
import type {Drive, DriveReport, Filesystem, RepositoryOnDrive} from '../system/types.js';

/**
 * Where each target is right now: the site's targets (cartridges by label, folders by path) and
 * every other cartridge this machine remembers, matched against the drives that are connected.
 * A cartridge is recognised by its repository id and label, never by device name.
 */
export type TargetStatus = {
	name: string;
	kind: Target['kind'];
	label: string;
	/** Named in the site settings (others are remembered cartridges from elsewhere). */
	configured: boolean;
	online: boolean;
	/** Repository folder, when online. */
	root?: string;
	repositoryId?: string;
	record?: CartridgeRecord;
	drive?: Pick<Drive, 'name' | 'path' | 'model'>;
	writeProtected: boolean;
	free?: number;
	offlineSince?: string;
	/** Online folder without a repository yet. */
	uninitialised?: boolean;
};

type Found = {drive: Drive; filesystem: Filesystem; repository: RepositoryOnDrive};

function onDrives(report: DriveReport | undefined): Found[] {
	const found: Found[] = [];
	for (const drive of report?.drives ?? []) {
		for (const filesystem of drive.filesystems) {
			for (const repository of filesystem.repositories) {
				found.push({drive, filesystem, repository});
			}
		}
	}

	return found;
}

async function identifyAt(root: string | undefined): Promise<{id: string; label: string} | undefined> {
	if (!root) {
		return undefined;
	}

	try {
		const config = await Repository.identify(root);
		return {id: config.id, label: config.label};
	} catch {
		return undefined;
	}
}

async function folderFree(folder: string): Promise<number | undefined> {
	try {
		const stats = await fs.statfs(folder);
		return stats.bavail * stats.bsize;
	} catch {
		return undefined;
	}
}

export async function buildCatalog(settings: SiteSettings, state: StateStore, report: DriveReport | undefined): Promise<TargetStatus[]> {
	const found = onDrives(report);
	const records = state.cartridges();
	const used = new Set<string>();
	const statuses: TargetStatus[] = [];

	const fromDrive = (hit: Found, base: Omit<TargetStatus, 'online' | 'writeProtected'>): TargetStatus => ({
		...base,
		online: true,
		root: hit.repository.path,
		repositoryId: hit.repository.id,
		record: state.cartridge(hit.repository.id) ?? base.record,
		drive: {name: hit.drive.name, path: hit.drive.path, ...(hit.drive.model ? {model: hit.drive.model} : {})},
		writeProtected: hit.drive.writeProtected || hit.filesystem.readOnly,
		...(hit.filesystem.available === undefined ? {} : {free: hit.filesystem.available}),
	});

	const offline = async (base: Omit<TargetStatus, 'online' | 'writeProtected'>, record: CartridgeRecord | undefined): Promise<TargetStatus> => {
		// Without a drive report entry, a repository still at its last path (same id) is online.
		const at = await identifyAt(record?.lastPath);
		if (record && at?.id === record.id && !record.offlineSince) {
			return {...base, online: true, root: record.lastPath, repositoryId: record.id, record, writeProtected: false, free: await folderFree(record.lastPath!)};
		}

		return {...base, online: false, writeProtected: false, ...(record ? {repositoryId: record.id, record} : {}), ...(record?.offlineSince ? {offlineSince: record.offlineSince} : {})};
	};

	for (const target of settings.targets) {
		if (target.kind === 'folder') {
			const root = target.path ?? '';
			const at = await identifyAt(root);
			const record = at ? state.cartridge(at.id) : records.find(item => item.lastPath === root);
			if (at) {
				used.add(at.id);
			}

			const exists = root ? await fs.stat(root).then(() => true, () => false) : false;
			statuses.push({
				name: target.name,
				kind: 'folder',
				label: at?.label ?? record?.label ?? target.name,
				configured: true,
				online: Boolean(at),
				root,
				writeProtected: false,
				...(at ? {repositoryId: at.id} : {}),
				...(record ? {record} : {}),
				...(exists && !at ? {uninitialised: true} : {}),
				...(at ? {free: await folderFree(root)} : {}),
			});
			continue;
		}

		const label = target.label ?? target.name;
		const hit = found.find(item => item.repository.label === label);
		const record = hit ? state.cartridge(hit.repository.id) : state.findByLabel(label);
		const base = {name: target.name, kind: 'cartridge' as const, label, configured: true, ...(record ? {record} : {})};
		if (hit) {
			used.add(hit.repository.id);
			statuses.push(fromDrive(hit, base));
		} else {
			if (record) {
				used.add(record.id);
			}

			statuses.push(await offline(base, record));
		}
	}

	// Cartridges seen before or plugged in now that the settings do not name.
	for (const hit of found) {
		if (!used.has(hit.repository.id)) {
			used.add(hit.repository.id);
			statuses.push(fromDrive(hit, {name: hit.repository.label, kind: 'cartridge', label: hit.repository.label, configured: false}));
		}
	}

	for (const record of records) {
		if (!used.has(record.id)) {
			used.add(record.id);
			statuses.push(await offline({name: record.label, kind: record.removable === false ? 'folder' : 'cartridge', label: record.label, configured: false}, record));
		}
	}

	return statuses;
}
