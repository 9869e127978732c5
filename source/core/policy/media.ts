import fs from 'node:fs/promises';
import path from 'node:path';
import {generationPath, layoutOf, repositoryFile} from '../repository/layout.js';
import type {CartridgeRecord} from './records.js';
import type {Retention, TargetRef as Target} from './site-policy.js';

/**
 * Every repository Sedai has seen (cartridges and folders), as the policy checks need them: is
 * it reachable now, is it removable, which configured target is it. Built from the local state
 * plus a look at the paths; no passphrase is needed.
 */
export type MediumKind = 'cartridge' | 'folder' | 'unknown';

export type MediumFacts = CartridgeRecord & {
	/** Its repository file is reachable at the last known path right now. */
	present?: boolean;
};

export function isOffline(medium: MediumFacts): boolean {
	return medium.offlineSince !== undefined || medium.present === false;
}

/** The configured target this medium is, if any: cartridges by label, folders by path. */
export function targetOf(medium: Pick<CartridgeRecord, 'label' | 'lastPath'>, targets: Target[]): Target | undefined {
	return targets.find(target => target.kind === 'cartridge'
		? (target.label ?? target.name) === medium.label
		: target.path !== undefined && medium.lastPath !== undefined && path.resolve(target.path) === path.resolve(medium.lastPath));
}

/** The retention that applies to a medium: its target's own, else the site's. */
export function retentionOf(medium: Pick<CartridgeRecord, 'label' | 'lastPath'>, settings: {targets: Target[]; retention: Retention}): Retention {
	return targetOf(medium, settings.targets)?.retention ?? settings.retention;
}

export function kindOf(medium: CartridgeRecord, targets: Target[]): MediumKind {
	const target = targetOf(medium, targets);
	if (target) {
		return target.kind;
	}

	if (medium.removable === undefined) {
		return 'unknown';
	}

	return medium.removable ? 'cartridge' : 'folder';
}

export function describeMedium(medium: CartridgeRecord, targets: Target[]): string {
	const target = targetOf(medium, targets);
	return target && target.name !== medium.label ? `${target.name} ("${medium.label}")` : `"${medium.label}"`;
}

/**
 * Whether each medium is reachable, and for reachable ones the protection of generations the
 * system layer has not assessed yet: a generation file without write permission bits counts as
 * read-only (Sedai seals them 0444; the immutable flag is the system layer's to report).
 */
export async function gatherMedia(cartridges: CartridgeRecord[]): Promise<MediumFacts[]> {
	const media: MediumFacts[] = [];
	for (const cartridge of cartridges) {
		const root = cartridge.lastPath;
		const present = root === undefined ? false : await fs.access(path.join(root, repositoryFile)).then(() => true, () => false);
		const generations = [];
		for (const generation of cartridge.generations) {
			if (!present || generation.protection !== undefined) {
				generations.push(generation);
				continue;
			}

			const stats = await fs.stat(generationPath(layoutOf(root!), generation.id)).catch(() => undefined);
			generations.push(stats && (stats.mode & 0o222) === 0
				? {...generation, protection: 'read-only' as const, protectionNote: 'file mode is read-only (immutability not checked)'}
				: generation);
		}

		media.push({...cartridge, present, generations});
	}

	return media;
}
