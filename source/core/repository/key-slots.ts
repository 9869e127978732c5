import {SedaiError} from '../errors.js';
import {sha256} from './crypto.js';
import {openKeySlot, readConfig, type KeySlot, type RepositoryConfig} from './config.js';
import {syncDirectory, writeFileAtomic} from './atomic.js';
import type {Layout} from './layout.js';

/**
 * Changing a repository's key slots without ever leaving it without a working one: the new
 * repository file is written atomically (temp, fsync, rename, fsync), read back, and the slot
 * that must work is opened from what is on the medium before anything else is removed.
 */
export type KeySlotInfo = {
	id: string;
	kind: 'passphrase' | 'recovery';
	/** When the slot was added; for slots older than `sedai key`, the repository's creation. */
	added: string;
	addedKnown: boolean;
	scryptN: number;
	scryptR: number;
	scryptP: number;
};

/** Slots made before ids existed get a stable one from their sealed bytes. */
export function slotId(slot: KeySlot): string {
	return slot.id ?? sha256(Buffer.from(slot.sealed, 'utf8')).toString('hex').slice(0, 8);
}

export function describeSlots(config: RepositoryConfig): KeySlotInfo[] {
	return (config.encryption?.keys ?? []).map(slot => ({
		id: slotId(slot),
		kind: slot.kind ?? 'passphrase',
		added: slot.added ?? config.created,
		addedKnown: slot.added !== undefined,
		scryptN: slot.kdf.N,
		scryptR: slot.kdf.r,
		scryptP: slot.kdf.p,
	}));
}

export function findSlot(config: RepositoryConfig, id: string): number {
	const keys = config.encryption?.keys ?? [];
	const index = keys.findIndex(slot => slotId(slot) === id.toLowerCase());
	if (index === -1) {
		throw new SedaiError('not-found', `The repository "${config.label}" has no key slot ${id}: see \`sedai key list\` for its slots.`);
	}

	return index;
}

/**
 * What must work after a change: a slot opened with its passphrase (a new slot), or a slot that
 * must read back byte for byte as it was (the one the repository was opened with).
 */
export type SlotProof = {slotId: string; masterKey: Buffer} & ({passphrase: string} | {unchanged: KeySlot});

/** Replace the slots, then prove the file as it is on the medium now against `proof`. */
export async function writeKeySlots(layout: Layout, config: RepositoryConfig, keys: KeySlot[], proof: SlotProof): Promise<RepositoryConfig> {
	if (!config.encryption || keys.length === 0) {
		throw new SedaiError('usage', `The repository "${config.label}" would be left without a key slot: nothing was changed.`);
	}

	const next: RepositoryConfig = {...config, encryption: {...config.encryption, keys}};
	await writeFileAtomic(layout.config, JSON.stringify(next, undefined, 2) + '\n', {tmpDirectory: layout.tmp, mode: 0o444});
	await syncDirectory(layout.root);
	const written = await readConfig(layout.root, layout.config);
	if (!(await proves(written, proof))) {
		throw new SedaiError('io', `The repository file of "${config.label}" did not read back as written: the medium may be failing; check it with \`sedai drives\` before changing keys again.`);
	}

	return written;
}

async function proves(written: RepositoryConfig, proof: SlotProof): Promise<boolean> {
	const slot = written.encryption?.keys.find(key => slotId(key) === proof.slotId);
	if (!slot) {
		return false;
	}

	if ('unchanged' in proof) {
		return JSON.stringify(slot) === JSON.stringify(proof.unchanged);
	}

	const secrets = await openKeySlot(written.id, slot, proof.passphrase);
	const same = secrets?.masterKey.equals(proof.masterKey) ?? false;
	secrets?.masterKey.fill(0);
	return same;
}
