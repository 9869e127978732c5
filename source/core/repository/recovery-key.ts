import {randomBytes} from 'node:crypto';
import {SedaiError} from '../errors.js';

/**
 * Recovery keys: 160 random bits as 32 base32 characters (RFC 4648 alphabet: no 0/1/8, so
 * nothing reads as O, I or B), printed in groups of four. Typed back in any case, with or
 * without dashes and spaces; the normalised form is what the key slot is sealed under.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const length = 32;

export function newRecoveryKey(): string {
	const bytes = randomBytes(20);
	let bits = 0;
	let value = 0;
	let key = '';
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			key += alphabet[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}

	return formatRecoveryKey(key);
}

export function formatRecoveryKey(key: string): string {
	return normalizeRecoveryKey(key).match(/.{4}/g)!.join('-');
}

export function normalizeRecoveryKey(text: string): string {
	const key = text.toUpperCase().replaceAll(/[\s-]/g, '');
	if (key.length !== length || [...key].some(character => !alphabet.includes(character))) {
		throw new SedaiError('usage', 'That is not a Sedai recovery key: it has 32 letters and digits 2-7 in groups of four, as printed on the recovery sheet.');
	}

	return key;
}
