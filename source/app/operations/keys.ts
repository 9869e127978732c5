import {SedaiError} from '../../core/errors.js';
import {sealKeySlot, type KeySlot, type RepositoryConfig} from '../../core/repository/config.js';
import {describeSlots, findSlot, slotId, writeKeySlots, type KeySlotInfo} from '../../core/repository/key-slots.js';
import {normalizeRecoveryKey} from '../../core/repository/recovery-key.js';
import {Repository} from '../../core/repository/repository.js';
import {checkNewPassphrase} from '../passphrase-rules.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, openMedium, resolveMedium, type MediumRef} from './medium-job.js';

/**
 * `sedai key`: list, add, remove and replace a repository's key slots, and add a recovery key.
 * Every change runs under the exclusive lock, starts from the repository file as it is on the
 * medium now, and keeps at least one slot proven to open the master key: a slot is only ever
 * removed after the file without it was written and a remaining slot opened from it. The
 * passphrases and the recovery key are never part of a result (results go to the job journal).
 */
export type KeyListResult = {label: string; repositoryId: string; encrypted: boolean; slots: KeySlotInfo[]};

export type KeyChangeResult = {
	label: string;
	repositoryId: string;
	site?: string;
	added?: KeySlotInfo;
	removed?: string;
	slots: KeySlotInfo[];
};

export async function listKeys(context: OperationContext, request: MediumRef): Promise<JobEnd<KeyListResult>> {
	return runJob(context, {kind: 'key', label: await labelOf(request), detail: 'list'}, async () => {
		const medium = await resolveMedium(context, request);
		const config = await Repository.identify(medium.root);
		return {status: 'ok', result: {label: config.label, repositoryId: config.id, encrypted: Boolean(config.encryption), slots: describeSlots(config)}};
	});
}

export async function addKey(context: OperationContext, request: MediumRef & {newPassphrase: string}): Promise<JobEnd<KeyChangeResult>> {
	const passphrase = checkNewPassphrase(request.newPassphrase, 'for the new key slot');
	return changeKeys(context, request, 'add', async change => change.add(passphrase, 'passphrase'));
}

export async function addRecoveryKey(context: OperationContext, request: MediumRef & {recoveryKey: string}): Promise<JobEnd<KeyChangeResult>> {
	const key = normalizeRecoveryKey(request.recoveryKey);
	return changeKeys(context, request, 'recovery-sheet', async change => change.add(key, 'recovery'));
}

export async function removeKey(context: OperationContext, request: MediumRef & {slot: string}): Promise<JobEnd<KeyChangeResult>> {
	return changeKeys(context, request, 'remove', async change => change.remove(request.slot));
}

/** A new passphrase in place of the one used to open: added and proven first, then the old slot removed. */
export async function changePassphrase(context: OperationContext, request: MediumRef & {newPassphrase: string}): Promise<JobEnd<KeyChangeResult>> {
	const passphrase = checkNewPassphrase(request.newPassphrase, 'for the new key slot');
	return changeKeys(context, request, 'passwd', async change => {
		const used = change.unlocked;
		const added = await change.add(passphrase, 'passphrase');
		await change.remove(used, {passphrase, slotId: added});
		return added;
	});
}

type Change = {
	/** The id of the slot the repository was opened with. */
	readonly unlocked: string;
	readonly added?: string;
	readonly removed?: string;
	add(passphrase: string, kind: NonNullable<KeySlot['kind']>): Promise<string>;
	remove(id: string, proof?: {passphrase: string; slotId: string}): Promise<void>;
};

async function changeKeys(context: OperationContext, request: MediumRef, what: string, body: (change: Change) => Promise<unknown>): Promise<JobEnd<KeyChangeResult>> {
	return runJob(context, {kind: 'key', label: await labelOf(request), detail: what}, async job => {
		const {medium, repository} = await openMedium(context, request);
		const {masterKey} = repository;
		if (!masterKey || repository.unlockedSlot === undefined) {
			throw new SedaiError('usage', `The repository "${repository.label}" is not encrypted: it has no key slots to change.`);
		}

		const lock = await repository.lock('exclusive', `key ${what}`, message => {
			job.warn('stale-lock', message);
		});
		try {
			const change = new KeyChange(repository, await Repository.identify(medium.root), slotId(repository.config.encryption!.keys[repository.unlockedSlot]), masterKey);
			await body(change);
			const {config} = change;
			const slots = describeSlots(config);
			return {status: 'ok', result: {label: config.label, repositoryId: config.id, ...(config.site ? {site: config.site} : {}), ...(change.added ? {added: slots.find(slot => slot.id === change.added)} : {}), ...(change.removed ? {removed: change.removed} : {}), slots}};
		} finally {
			await lock.release();
			// The cached repository holds the old slots.
			context.media.close(medium.root);
		}
	});
}

class KeyChange implements Change {
	added?: string;
	removed?: string;

	constructor(private readonly repository: Repository, public config: RepositoryConfig, readonly unlocked: string, private readonly masterKey: Buffer) {
		findSlot(config, unlocked);
	}

	async add(passphrase: string, kind: NonNullable<KeySlot['kind']>): Promise<string> {
		const slot = await sealKeySlot(this.config.id, passphrase, {masterKey: this.masterKey, chunkerSeed: this.repository.chunkerSeed}, kind);
		const keys = [...this.config.encryption!.keys, slot];
		this.config = await writeKeySlots(this.repository.layout, this.config, keys, {slotId: slotId(slot), passphrase, masterKey: this.masterKey});
		this.added = slotId(slot);
		return this.added;
	}

	async remove(id: string, proof?: {passphrase: string; slotId: string}): Promise<void> {
		const {keys} = this.config.encryption!;
		const index = findSlot(this.config, id);
		if (keys.length === 1) {
			throw new SedaiError('usage', `Key slot ${id} is the last one of "${this.config.label}": removing it would lock everyone out; add another first (\`sedai key add\`).`);
		}

		const target = slotId(keys[index]);
		if (!proof && target === this.unlocked) {
			throw new SedaiError('usage', `Key slot ${target} is the one this passphrase opened: to remove it, open with another slot's passphrase (or the recovery key), or replace it with \`sedai key passwd\`.`);
		}

		// The slot proven to work stays: the one just added, else the one the repository was opened with.
		const kept = keys.find(slot => slotId(slot) === (proof?.slotId ?? this.unlocked))!;
		this.config = await writeKeySlots(this.repository.layout, this.config, keys.filter((_, at) => at !== index), proof ? {...proof, masterKey: this.masterKey} : {slotId: this.unlocked, unchanged: kept, masterKey: this.masterKey});
		this.removed = target;
	}
}
