import {createCipheriv, createDecipheriv, createHash, randomBytes, scrypt as scryptCallback, type ScryptOptions} from 'node:crypto';
import {SedaiError} from '../errors.js';

/**
 * AES-256-GCM with a random 96-bit nonce per sealed item, keyed by a random master key that is
 * itself wrapped by a scrypt-derived key (both CRYPTREC-listed). A plaintext repository keeps the
 * same framing with a SHA-256 trailer instead, so integrity is checked either way.
 */
export const nonceLength = 12;
export const tagLength = 16;
export const keyLength = 32;

export type KdfParameters = {
	name: 'scrypt';
	N: number;
	r: number;
	p: number;
	salt: string;
};

/**
 * For new key slots; existing slots keep what they were made with. OWASP's password storage
 * guidance lists N=2^15, r=8, p=3 as equal in defence to N=2^17, r=8, p=1 (more passes, less
 * memory): 32 MiB instead of 128 MiB while it runs, which was the peak memory of every short
 * command, in a fraction of a second.
 */
export const defaultKdf = {N: 2 ** 15, r: 8, p: 3} as const;

export async function deriveKey(passphrase: string, kdf: KdfParameters): Promise<Buffer> {
	const options: ScryptOptions = {N: kdf.N, r: kdf.r, p: kdf.p, maxmem: (128 * kdf.N * kdf.r * kdf.p) + (32 * 1024 * 1024)};
	return new Promise((resolve, reject) => {
		scryptCallback(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), keyLength, options, (error, key) => {
			if (error) {
				reject(error);
			} else {
				resolve(key);
			}
		});
	});
}

export function newKdf(): KdfParameters {
	return {name: 'scrypt', ...defaultKdf, salt: randomBytes(32).toString('base64')};
}

export function sha256(data: Uint8Array): Buffer {
	return createHash('sha256').update(data).digest();
}

/**
 * GCM nonces: a random 64-bit prefix per thread and session plus a 32-bit counter. Unique under
 * one key without a system call per blob (random 96-bit nonces cost ~10 µs each here).
 */
let noncePrefix = randomBytes(8);
let nonceCounter = 0;

function nextNonce(): Buffer {
	if (nonceCounter === 0xFF_FF_FF_FF) {
		noncePrefix = randomBytes(8);
		nonceCounter = 0;
	}

	const nonce = Buffer.allocUnsafe(nonceLength);
	noncePrefix.copy(nonce, 0);
	nonce.writeUInt32BE(nonceCounter++, 8);
	return nonce;
}

/**
 * Seal straight into `target` at `at` (nonce | ciphertext | tag); returns the bytes written.
 * Saves the two copies gcmSeal makes: the backup's hot path seals every new chunk.
 */
export function gcmSealInto(key: Uint8Array, plain: Uint8Array, aad: Uint8Array, target: Uint8Array, at: number): number {
	const nonce = nextNonce();
	target.set(nonce, at);
	const cipher = createCipheriv('aes-256-gcm', key, nonce);
	cipher.setAAD(aad);
	const body = cipher.update(plain);
	target.set(body, at + nonceLength);
	const tail = cipher.final();
	target.set(tail, at + nonceLength + body.length);
	const tag = cipher.getAuthTag();
	const end = at + nonceLength + body.length + tail.length;
	target.set(tag, end);
	return end + tagLength - at;
}

export function gcmSeal(key: Uint8Array, plain: Uint8Array, aad: Uint8Array): Buffer {
	const nonce = nextNonce();
	const cipher = createCipheriv('aes-256-gcm', key, nonce);
	cipher.setAAD(aad);
	const head = cipher.update(plain);
	const tail = cipher.final();
	return Buffer.concat([nonce, head, tail, cipher.getAuthTag()]);
}

/** Returns undefined when authentication fails (wrong key or altered bytes). */
export function gcmOpen(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | undefined {
	if (sealed.length < nonceLength + tagLength) {
		return undefined;
	}

	const nonce = sealed.subarray(0, nonceLength);
	const tag = sealed.subarray(sealed.length - tagLength);
	const decipher = createDecipheriv('aes-256-gcm', key, nonce);
	decipher.setAAD(aad);
	decipher.setAuthTag(tag);
	try {
		const head = decipher.update(sealed.subarray(nonceLength, sealed.length - tagLength));
		const tail = decipher.final();
		return tail.length === 0 ? head : Buffer.concat([head, tail]);
	} catch {
		return undefined;
	}
}

/**
 * Seals and opens everything the repository stores. `context` binds a sealed item to its role
 * and name, so a manifest cannot be swapped for an index or a blob for another blob.
 */
export class Sealer {
	private wiped = false;

	constructor(readonly key: Buffer | undefined) {}

	get encrypted(): boolean {
		return this.key !== undefined;
	}

	/** Zero the key: nothing can be sealed or opened with it any more (a zero key must never seal). */
	wipe(): void {
		this.key?.fill(0);
		this.wiped = true;
	}

	seal(plain: Uint8Array, context: Uint8Array): Buffer {
		this.throwIfWiped();
		if (this.key) {
			return gcmSeal(this.key, plain, context);
		}

		return Buffer.concat([plain, createHash('sha256').update(context).update(plain).digest()]);
	}

	/** Throws a 'corrupt' SedaiError naming `what` when the bytes do not authenticate. */
	open(sealed: Uint8Array, context: Uint8Array, what: string): Buffer {
		const plain = this.tryOpen(sealed, context);
		if (!plain) {
			throw new SedaiError('corrupt', `${what} is damaged or was altered (integrity check failed): run \`sedai verify --full\` to see what is affected.`, {what});
		}

		return plain;
	}

	tryOpen(sealed: Uint8Array, context: Uint8Array): Buffer | undefined {
		this.throwIfWiped();
		if (this.key) {
			return gcmOpen(this.key, sealed, context);
		}

		if (sealed.length < 32) {
			return undefined;
		}

		const plain = sealed.subarray(0, -32);
		const sum = createHash('sha256').update(context).update(plain).digest();
		return sum.equals(sealed.subarray(-32)) ? Buffer.from(plain) : undefined;
	}

	private throwIfWiped(): void {
		if (this.wiped) {
			throw closedError();
		}
	}
}

export function closedError(): SedaiError {
	return new SedaiError('passphrase-required', 'This repository was closed and its keys erased (passphrases forgotten or the medium ejected): open it again with its passphrase.');
}

export function contextOf(kind: string, name = ''): Buffer {
	return Buffer.from(`sedai:${kind}:${name}`, 'utf8');
}
