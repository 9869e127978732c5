import {nonceLength, sha256, tagLength, type KdfParameters} from './crypto.js';

/**
 * Telling a damaged key slot from a wrong passphrase. AES-GCM alone cannot: both fail the same
 * tag check. So every new slot carries `check`, a SHA-256 over what opening it depends on (its
 * scrypt parameters and sealed bytes); a slot whose check no longer matches, or whose fields are
 * out of bounds (a crafted `kdf.N=3`, gigabytes of `maxmem`), is damaged, and no passphrase is
 * tried on it. Slots made before `check` existed are judged by their fields alone.
 */
type CheckedSlot = {kdf?: Partial<KdfParameters>; sealed?: unknown; check?: string};

/** Bounds of scrypt parameters (N a power of two): below them a slot is no protection, above them opening it could exhaust memory. */
export const kdfBounds = {minLogN: 14, maxLogN: 22, maxR: 32, maxP: 16, maxBytes: 1024 * 1024 * 1024} as const;

/** What opening the slot depends on, as one string for the check. */
function checkedText(slot: CheckedSlot): string {
	const {kdf} = slot;
	return JSON.stringify([kdf?.name, kdf?.N, kdf?.r, kdf?.p, kdf?.salt, slot.sealed]);
}

export function slotCheck(slot: {kdf: KdfParameters; sealed: string}): string {
	return sha256(Buffer.from(checkedText(slot), 'utf8')).toString('hex').slice(0, 32);
}

/** Why the scrypt parameters cannot be used, or undefined when they are within bounds. */
export function kdfProblem(kdf: Partial<KdfParameters> | undefined): string | undefined {
	if (kdf?.name !== 'scrypt') {
		return 'its key-derivation settings are missing or not scrypt';
	}

	const {N, r, p} = kdf;
	const integers = [N, r, p].every(value => Number.isSafeInteger(value) && value! > 0);
	const logN = integers ? Math.log2(N!) : Number.NaN;
	if (!integers || !Number.isInteger(logN) || logN < kdfBounds.minLogN || logN > kdfBounds.maxLogN || r! > kdfBounds.maxR || p! > kdfBounds.maxP || 128 * N! * r! * p! > kdfBounds.maxBytes) {
		return `its scrypt parameters N=${String(N)}, r=${String(r)}, p=${String(p)} are out of bounds`;
	}

	if (typeof kdf.salt !== 'string' || Buffer.from(kdf.salt, 'base64').length < 16) {
		return 'its scrypt salt is missing or too short';
	}

	return undefined;
}

/** Why this slot is damaged, or undefined when it may simply be another passphrase's. */
export function slotDamage(slot: CheckedSlot): string | undefined {
	const kdf = kdfProblem(slot.kdf);
	if (kdf) {
		return kdf;
	}

	if (typeof slot.sealed !== 'string' || Buffer.from(slot.sealed, 'base64').length <= nonceLength + tagLength) {
		return 'its sealed key is missing or too short';
	}

	if (slot.check !== undefined && slot.check !== slotCheck(slot as {kdf: KdfParameters; sealed: string})) {
		return 'its contents no longer match their checksum';
	}

	return undefined;
}
