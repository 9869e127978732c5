import fs from 'node:fs/promises';
import path from 'node:path';
import {repositoryFile} from '../repository/layout.js';
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
	/** Its drive's write-protect switch is on (the kernel's read-only flag), as looked at just now. */
	hardwareWriteProtected?: boolean;
};

/** Out of reach now: put away, found missing, or not answering at its last path. */
export function isOffline(medium: MediumFacts): boolean {
	return medium.offlineSince !== undefined || medium.present === false;
}

/**
 * An offline copy the guideline can count: a cartridge Sedai ejected itself, or one the
 * technician confirmed as stored away. A share that is merely unmounted, or a cartridge that
 * vanished without either, is only unreachable: it may be back on the network tonight.
 */
export function isStoredAway(medium: MediumFacts, targets: Target[]): boolean {
	if (medium.offlineSince === undefined || kindOf(medium, targets) === 'folder') {
		return false;
	}

	return medium.offlineReason === 'ejected' || medium.offlineReason === 'stored';
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
 * Whether each medium is reachable at its last path. Protection is not guessed from file modes
 * here (one chmod undoes 0444): the system layer looks at the immutable flag and the drive.
 */
export async function gatherMedia(cartridges: CartridgeRecord[]): Promise<MediumFacts[]> {
	const media: MediumFacts[] = [];
	for (const cartridge of cartridges) {
		const root = cartridge.lastPath;
		const present = root === undefined ? false : await fs.access(path.join(root, repositoryFile)).then(() => true, () => false);
		media.push({...cartridge, present});
	}

	return media;
}
