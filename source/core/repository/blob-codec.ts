import {createHash} from 'node:crypto';
import {createRequire} from 'node:module';
import {gcmOpen, gcmSeal, gcmSealInto, nonceLength, tagLength} from './crypto.js';
import {zstdCompress, zstdDecompress} from './compression.js';

// Lz4_flex compiled to WebAssembly: ~5x faster than deflate here, portable, no native build.
const lz4 = createRequire(import.meta.url)('lz4-wasm-nodejs') as {compress: (input: Uint8Array) => Uint8Array; decompress: (input: Uint8Array) => Uint8Array};

/**
 * A blob is one chunk of file content, addressed by the SHA-256 of its plain bytes. On the medium
 * it is (maybe) LZ4-compressed (block format, 4-byte little-endian size first), then (maybe) AES-256-GCM sealed with the id as associated data.
 * Format 2 compresses with zstd instead (flag `zstd`, a standard frame); each blob records its method,
 * so LZ4 blobs of format 1 still decode. Flag `tree` marks a format-2 folder list (tree-codec.ts).
 */
export const blobFlags = {compressed: 1, zstd: 2, tree: 4} as const;

/** LZ4 in format-1 repositories (what the Sedai that made them reads), zstd in format 2. */
export type Compression = 'lz4' | 'zstd';

export type EncodedBlob = {
	data: Uint8Array;
	flags: number;
	rawLength: number;
};

const probeLength = 2048;

/** Already-compressed content (scans, archives) is detected by two small probes, not by trying it all. */
function looksCompressible(raw: Uint8Array): boolean {
	if (raw.length < 64) {
		return false;
	}

	if (raw.length < probeLength * 4) {
		return true;
	}

	const middle = (raw.length >>> 1) - (probeLength >>> 1);
	for (const start of [0, middle]) {
		if (lz4.compress(raw.subarray(start, start + probeLength)).length < probeLength * 0.9) {
			return true;
		}
	}

	return false;
}

/** The bytes to store before sealing: compressed only when that saves at least 8%. */
function compress(raw: Uint8Array, method: Compression): {payload: Uint8Array; flags: number} {
	if (!looksCompressible(raw)) {
		return {payload: raw, flags: 0};
	}

	const zstd = method === 'zstd' ? zstdCompress(raw) : undefined;
	const packed = zstd ?? lz4.compress(raw);
	if (packed.length >= raw.length * 0.92) {
		return {payload: raw, flags: 0};
	}

	return {payload: packed, flags: zstd ? blobFlags.zstd : blobFlags.compressed};
}

export function encodeBlob(key: Uint8Array | undefined, id: Uint8Array, raw: Uint8Array, method: Compression = 'lz4'): EncodedBlob {
	const {payload, flags} = compress(raw, method);
	const data = key ? gcmSeal(key, payload, id) : payload;
	return {data, flags, rawLength: raw.length};
}

/** The most bytes encodeBlobInto may write for `rawLength` plain bytes. */
export function encodedBound(rawLength: number): number {
	// LZ4 output is only kept when smaller; sealing adds nonce and tag.
	return rawLength + nonceLength + tagLength;
}

/** Like encodeBlob, writing into `target` at `at`; returns the stored length and flags. */
export function encodeBlobInto(key: Uint8Array | undefined, id: Uint8Array, raw: Uint8Array, target: Uint8Array, at: number, method: Compression = 'lz4'): {length: number; flags: number} {
	const {payload, flags} = compress(raw, method);

	if (key) {
		return {length: gcmSealInto(key, payload, id, target, at), flags};
	}

	target.set(payload, at);
	return {length: payload.length, flags};
}

/**
 * The plain bytes, or undefined when they fail authentication or do not hash to `id`. With
 * `hashSealed` false a sealed blob is not hashed: AES-GCM already bound it to its id, so only a
 * key holder could have made it wrong; for callers that hash the bytes later anyway (a restore's
 * read-back). An unsealed blob is always hashed.
 */
export function decodeBlob(key: Uint8Array | undefined, id: Uint8Array, stored: Uint8Array, flags: number, rawLength: number, hashSealed = true): Buffer | undefined {
	let payload: Uint8Array | undefined = stored;
	if (key) {
		payload = gcmOpen(key, stored, id);
		if (!payload) {
			return undefined;
		}
	}

	let raw: Buffer;
	if (flags & blobFlags.zstd) {
		const out = zstdDecompress(payload, rawLength);
		if (!out) {
			return undefined;
		}

		raw = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
	} else if (flags & blobFlags.compressed) {
		// The 4-byte size prefix is checked first: a damaged one must not make us allocate gigabytes.
		if (payload.length < 4 || Buffer.from(payload.buffer, payload.byteOffset, 4).readUInt32LE(0) !== rawLength) {
			return undefined;
		}

		try {
			const out = lz4.decompress(payload);
			raw = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
		} catch {
			return undefined;
		}
	} else {
		raw = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
	}

	if (raw.length !== rawLength) {
		return undefined;
	}

	if (key && !hashSealed) {
		return raw;
	}

	const hash = createHash('sha256').update(raw).digest();
	return hash.equals(id) ? raw : undefined;
}
