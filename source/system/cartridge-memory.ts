import type {CartridgeRecord, GenerationSummary, ProtectionState, StateStore} from '../settings/state.js';
import {Repository} from '../core/repository/repository.js';
import {rememberRepository} from '../settings/remember.js';
import {describeRepository} from './find-repositories.js';
import type {DriveReport, RepositoryOnDrive, SmartVerdict} from './types.js';

/**
 * Keeping the local memory of cartridges in step with what is plugged in: every repository seen
 * is remembered (by id, never by /dev name); a known one that is no longer anywhere is marked
 * offline as "disappeared" (a safe eject marks it "ejected" itself).
 */
export type Sighting = {repository: RepositoryOnDrive; mount?: string; device?: string; fsType?: string; removable?: boolean; smart?: SmartVerdict};

export function sightings(report: DriveReport): Sighting[] {
	return report.drives.flatMap(drive => drive.filesystems.flatMap(filesystem => filesystem.repositories.map(repository => ({
		repository,
		...(filesystem.mountpoint ? {mount: filesystem.mountpoint} : {}),
		device: filesystem.device,
		...(filesystem.fsType ? {fsType: filesystem.fsType} : {}),
		removable: drive.removable,
		smart: drive.smart.verdict,
	}))));
}

export type PassphraseLookup = (label: string) => Promise<string | undefined>;

export async function rememberReport(state: StateStore, report: DriveReport, options: {now?: Date; passphrase?: PassphraseLookup} = {}): Promise<{seen: string[]; wentOffline: string[]}> {
	const now = options.now ?? new Date();
	const seen = new Set<string>();
	for (const sighting of sightings(report)) {
		const {repository} = sighting;
		seen.add(repository.id);
		const known = state.cartridge(repository.id)?.generations.length ?? 0;
		state.remember({
			id: repository.id,
			label: repository.label,
			...(repository.site ? {site: repository.site} : {}),
			encrypted: repository.encrypted,
			lastPath: repository.path,
			...(sighting.mount ? {lastMount: sighting.mount} : {}),
			...(sighting.device ? {lastDevice: sighting.device} : {}),
			...(sighting.fsType ? {fsType: sighting.fsType} : {}),
			...(sighting.removable === undefined ? {} : {removable: sighting.removable}),
			// The drive's health travels with the cartridge's record: rotation advice reads it.
			...(sighting.smart ? {lastSmart: {verdict: sighting.smart, time: now.toISOString()}} : {}),
		}, now);
		if (known !== repository.generations && options.passphrase) {
			await summarizeGenerations(state, repository, options.passphrase);
		}
	}

	const wentOffline: string[] = [];
	for (const cartridge of state.cartridges()) {
		if (seen.has(cartridge.id) || cartridge.offlineSince) {
			continue;
		}

		// A folder repository (NFS share, second disk outside lsblk) is online while its path answers.
		const there = cartridge.lastPath ? await describeRepository(cartridge.lastPath) : undefined;
		if (there?.id === cartridge.id) {
			continue;
		}

		state.markOffline(cartridge.id, 'disappeared', now);
		wentOffline.push(cartridge.id);
	}

	return {seen: [...seen], wentOffline};
}

/** With a passphrase at hand (never asked for here), remember each generation's summary too. */
async function summarizeGenerations(state: StateStore, repository: RepositoryOnDrive, passphrase: PassphraseLookup): Promise<void> {
	try {
		const given = repository.encrypted ? await passphrase(repository.label) : undefined;
		if (repository.encrypted && given === undefined) {
			return;
		}

		// Merges into the record: where it was mounted stays as just remembered.
		await rememberRepository(state, await Repository.open(repository.path, given));
	} catch {
		// Wrong passphrase or a damaged header: the sighting stands, the details wait.
	}
}

/** Store per-generation protection found or applied; other generations are left as they were. */
export function recordProtection(state: StateStore, repositoryId: string, updates: Map<string, {protection: ProtectionState; note?: string}>): void {
	const record = state.cartridge(repositoryId);
	if (!record || updates.size === 0) {
		return;
	}

	const generations: GenerationSummary[] = record.generations.map(generation => {
		const update = updates.get(generation.id);
		if (!update) {
			return generation;
		}

		const next: GenerationSummary = {...generation, protection: update.protection};
		if (update.note) {
			next.protectionNote = update.note;
		} else {
			delete next.protectionNote;
		}

		return next;
	});
	const {firstSeen: _firstSeen, lastSeen: _lastSeen, offlineSince, offlineReason, ...rest} = record;
	state.remember({...rest, generations}, new Date(record.lastSeen));
	if (offlineSince && offlineReason) {
		// Remember() means "seen now"; a protection update is not a sighting.
		state.markOffline(repositoryId, offlineReason, new Date(offlineSince));
	}
}

/** What `sedai cartridges` shows per generation: stored protection, or "offline" while it is. */
export function effectiveProtection(cartridge: CartridgeRecord, generation: GenerationSummary): {protected: boolean; by: ProtectionState; note?: string} {
	if (cartridge.offlineSince) {
		return {protected: true, by: 'offline'};
	}

	const by = generation.protection ?? 'none';
	return {protected: by !== 'none', by, ...(generation.protectionNote ? {note: generation.protectionNote} : {})};
}
