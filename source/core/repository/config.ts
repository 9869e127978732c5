import fs from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import {SedaiError} from '../errors.js';
import {message} from '../message.js';
import {contextOf, deriveKey, gcmOpen, gcmSeal, keyLength, newKdf, type KdfParameters} from './crypto.js';
import {chunkerProblem, defaultChunker, type ChunkerParameters} from './chunker.js';
import {slotCheck, slotDamage} from './key-slot-check.js';
import {configSeal} from './config-seal.js';

/**
 * The small file at a repository's root that says what it is. Identity (id, label, site) is
 * readable without the passphrase, so drives can be listed; the master key and the chunker seed
 * are sealed under each passphrase's scrypt-derived key.
 */
export const formatName = 'sedai-repository';
/**
 * 2: file trees as deduplicated tree blobs, zstd blobs. A version-1 repository stays version 1:
 * this Sedai reads it and keeps writing format-1 generations and LZ4 blobs into it, so the Sedai
 * that made the cartridge can still read it.
 */
export const formatVersion = 2;
export type FormatVersion = 1 | 2;

export type KeySlot = {
	kdf: KdfParameters;
	sealed: string;
	/** Missing in repositories made before `sedai key`: see slotId in key-slots.ts. */
	id?: string;
	added?: string;
	kind?: 'passphrase' | 'recovery';
	/** Tells a damaged slot from a wrong passphrase (key-slot-check.ts); missing in older slots. */
	check?: string;
};

export type RepositoryConfig = {
	format: typeof formatName;
	version: number;
	id: string;
	label: string;
	site?: string;
	created: string;
	createdOn: string;
	chunker: ChunkerParameters;
	encryption?: {
		cipher: 'aes-256-gcm';
		keys: KeySlot[];
	};
	/** Only for plaintext repositories; sealed in a key slot otherwise. */
	chunkerSeed?: string;
	/** HMAC of the identity and chunker under the master key (config-seal.ts); encrypted repositories. */
	seal?: string;
};

export type Secrets = {
	masterKey?: Buffer;
	chunkerSeed: Buffer;
};

export function parseConfig(text: string, where: string): RepositoryConfig {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new SedaiError('corrupt', `The repository file ${where} is not valid JSON: the medium may be damaged; restore it from another copy of this cartridge's repository.`);
	}

	const config = value as Partial<RepositoryConfig>;
	if (config?.format !== formatName) {
		throw new SedaiError('not-a-repository', `${where} is not a Sedai repository file.`, {}, message('error.not-a-repository-file', {path: where}));
	}

	if (typeof config.version !== 'number' || config.version > formatVersion) {
		throw new SedaiError('unsupported-format', `The repository at ${where} uses format version ${String(config.version)}, newer than this Sedai understands (${formatVersion}): update Sedai.`);
	}

	if (typeof config.id !== 'string' || typeof config.label !== 'string' || !config.chunker) {
		throw new SedaiError('corrupt', `The repository file ${where} is missing its id, label or chunker settings: the medium may be damaged.`);
	}

	const chunker = chunkerProblem(config.chunker);
	if (chunker) {
		throw new SedaiError('corrupt', `The repository file ${where} has chunker settings out of bounds (${chunker}): it was damaged or edited, so this repository is refused.`);
	}

	return config as RepositoryConfig;
}

export async function readConfig(root: string, file: string): Promise<RepositoryConfig> {
	let text: string;
	try {
		text = await fs.readFile(file, 'utf8');
	} catch (error) {
		const {code} = (error as {code?: string});
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			throw new SedaiError('not-a-repository', `No Sedai repository at ${root}: check the path, or create one with \`sedai init ${root}\`.`, {}, message('error.not-a-repository', {path: root}));
		}

		throw error;
	}

	return parseConfig(text, file);
}

export async function createConfig(options: {label: string; site?: string; passphrase?: string; host: string; version?: FormatVersion}): Promise<{config: RepositoryConfig; secrets: Secrets}> {
	const id = randomBytes(16).toString('hex');
	const chunkerSeed = randomBytes(32);
	const config: RepositoryConfig = {
		format: formatName,
		version: options.version ?? formatVersion,
		id,
		label: options.label,
		...(options.site ? {site: options.site} : {}),
		created: new Date().toISOString(),
		createdOn: options.host,
		chunker: defaultChunker,
	};
	if (options.passphrase === undefined) {
		config.chunkerSeed = chunkerSeed.toString('base64');
		return {config, secrets: {chunkerSeed}};
	}

	const masterKey = randomBytes(keyLength);
	const slot = await sealKeySlot(id, options.passphrase, {masterKey, chunkerSeed}, 'passphrase');
	config.encryption = {cipher: 'aes-256-gcm', keys: [slot]};
	config.seal = configSeal(config, masterKey);
	return {config, secrets: {masterKey, chunkerSeed}};
}

/** A new slot always gets the current scrypt parameters (newKdf), an id and the time it was added. */
export async function sealKeySlot(repositoryId: string, passphrase: string, secrets: Required<Secrets>, kind: NonNullable<KeySlot['kind']>): Promise<KeySlot> {
	const kdf = newKdf();
	const kek = await deriveKey(passphrase, kdf);
	const plain = Buffer.from(JSON.stringify({masterKey: secrets.masterKey.toString('base64'), chunkerSeed: secrets.chunkerSeed.toString('base64')}));
	const sealed = gcmSeal(kek, plain, contextOf('key', repositoryId)).toString('base64');
	kek.fill(0);
	return {id: randomBytes(4).toString('hex'), added: new Date().toISOString(), kind, kdf, sealed, check: slotCheck({kdf, sealed})};
}

/** The secrets in one slot, or undefined when `passphrase` is not this slot's. */
export async function openKeySlot(repositoryId: string, slot: KeySlot, passphrase: string): Promise<Required<Secrets> | undefined> {
	const kek = await deriveKey(passphrase, slot.kdf);
	const plain = gcmOpen(kek, Buffer.from(slot.sealed, 'base64'), contextOf('key', repositoryId));
	kek.fill(0);
	if (!plain) {
		return undefined;
	}

	const parsed = JSON.parse(plain.toString('utf8')) as {masterKey: string; chunkerSeed: string};
	return {masterKey: Buffer.from(parsed.masterKey, 'base64'), chunkerSeed: Buffer.from(parsed.chunkerSeed, 'base64')};
}

/** Unlock with a passphrase; a wrong one fails every slot and says so plainly. */
export async function unlockSecrets(config: RepositoryConfig, passphrase: string | undefined, where: string): Promise<Secrets> {
	return (await unlockWithSlot(config, passphrase, where)).secrets;
}

/** As unlockSecrets, also telling which slot opened (its index in encryption.keys). */
export async function unlockWithSlot(config: RepositoryConfig, passphrase: string | undefined, where: string): Promise<{secrets: Secrets; slot?: number}> {
	if (!config.encryption) {
		if (!config.chunkerSeed) {
			throw new SedaiError('corrupt', `The repository file at ${where} has neither a key nor a chunker seed: the medium may be damaged.`);
		}

		return {secrets: {chunkerSeed: Buffer.from(config.chunkerSeed, 'base64')}};
	}

	if (passphrase === undefined) {
		throw new SedaiError('passphrase-required', `The repository "${config.label}" at ${where} is encrypted: set SEDAI_PASSPHRASE, pass --passphrase-file FILE, or run in a terminal to be asked.`, {}, message('error.passphrase-required', {label: config.label, path: where}));
	}

	const damaged: string[] = [];
	for (const [index, slot] of config.encryption.keys.entries()) {
		const damage = slotDamage(slot);
		if (damage) {
			damaged.push(`slot ${slot.id ?? `#${index + 1}`}: ${damage}`);
			continue;
		}

		const secrets = await openKeySlot(config.id, slot, passphrase);
		if (secrets) {
			return {secrets, slot: index};
		}
	}

	if (damaged.length > 0) {
		throw damagedSlotsError(config, where, damaged);
	}

	throw new SedaiError('wrong-passphrase', `Wrong passphrase for the repository "${config.label}" at ${where}: check SEDAI_PASSPHRASE or the passphrase file and try again.`, {}, message('error.wrong-passphrase', {label: config.label, path: where}));
}

/** No passphrase was tried on a damaged slot: say so, rather than "wrong passphrase". */
function damagedSlotsError(config: RepositoryConfig, where: string, damaged: string[]): SedaiError {
	const slots = damaged.join('; ');
	const all = damaged.length === config.encryption!.keys.length;
	return all
		? new SedaiError('corrupt', `Every key slot of the repository "${config.label}" at ${where} is damaged (${slots}): no passphrase can open it; the repository file was altered or the medium is failing. Put back sedai-repository.json from a copy of this cartridge's repository.`, {}, message('error.key-slots-damaged', {label: config.label, path: where, slots}))
		: new SedaiError('wrong-passphrase', `The passphrase opens none of the intact key slots of the repository "${config.label}" at ${where}, and ${damaged.length} slot(s) are damaged (${slots}): if it belongs to a damaged slot, open with another passphrase or the recovery key, then replace that slot (sedai key add, sedai key remove).`, {}, message('error.key-slot-damaged', {label: config.label, path: where, count: damaged.length, slots}));
}

export {repositoryFile} from './layout.js';
