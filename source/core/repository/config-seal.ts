import {createHmac, hkdfSync, timingSafeEqual} from 'node:crypto';
import {SedaiError} from '../errors.js';
import type {RepositoryConfig} from './config.js';

/**
 * The repository file is readable without the passphrase (so drives can be listed), and so also
 * writable by anyone with the cartridge. What must not change unseen — the label a technician
 * rotates by, the chunker parameters, the format version and that it is encrypted — is sealed
 * with an HMAC under a key derived from the master key. Key slots are left out: `sedai key`
 * changes them, and each one is sealed by its own passphrase already. A plaintext repository has
 * no secret to seal with. Format 2 always had the seal, so one without it was stripped; a format-1
 * repository (made before seals) has none and is read as before.
 */
function sealedFields(config: RepositoryConfig): string {
	return JSON.stringify({
		format: config.format,
		version: config.version,
		id: config.id,
		label: config.label,
		site: config.site ?? null,
		created: config.created,
		chunker: config.chunker,
		encrypted: config.encryption?.cipher ?? null,
	});
}

export function configSeal(config: RepositoryConfig, masterKey: Uint8Array): string {
	const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `sedai-config:${config.id}`, 32));
	return createHmac('sha256', key).update(sealedFields(config)).digest('hex');
}

/** Refuse a repository file whose sealed fields were changed after it was written. */
export function checkConfigSeal(config: RepositoryConfig, masterKey: Uint8Array | undefined, root: string): void {
	if (!masterKey || (config.seal === undefined && config.version < 2)) {
		return;
	}

	const expected = Buffer.from(configSeal(config, masterKey), 'hex');
	const found = typeof config.seal === 'string' ? Buffer.from(config.seal, 'hex') : Buffer.alloc(0);
	if (found.length !== expected.length || !timingSafeEqual(found, expected)) {
		throw new SedaiError('corrupt', `The repository file ${root}/sedai-repository.json was changed outside Sedai (its label, format or chunker no longer match its seal), so this repository is refused: put back the original file, e.g. from a copy of this cartridge.`);
	}
}
