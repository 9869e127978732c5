/**
 * Shannon entropy of a byte sample in bits per byte, with the Miller–Madow correction so that a
 * short sample of random bytes still reads close to 8 (uncorrected, 600 random bytes read ~7.7).
 * Clinic text (Japanese UTF-8, SQL, CSV) measures about 4.5–6; encrypted data about 8.
 */
/** How much of a file the sentinel looks at, and the least that says anything. */
export const sentinelSample = {bytes: 4096, minimum: 256};

export function sampleEntropy(bytes: Uint8Array): number {
	if (bytes.length === 0) {
		return 0;
	}

	const counts = countBytes(bytes);
	let bits = 0;
	let symbols = 0;
	for (let byte = 0; byte < 256; byte++) {
		const count = counts[byte] + counts[256 + byte] + counts[512 + byte] + counts[768 + byte];
		if (count > 0) {
			symbols++;
			const p = count / bytes.length;
			bits -= p * Math.log2(p);
		}
	}

	const corrected = bits + ((symbols - 1) / (2 * bytes.length * Math.LN2));
	return Math.min(8, corrected);
}

/**
 * Byte counts in four interleaved tables, one per byte position mod 4: consecutive equal bytes
 * then do not wait on each other's increment. Every file of a backup is sampled; `for…of` over
 * a fresh table was 20 µs per 4 KiB sample, this is under 5 (200,000 files: 3 s of CPU saved).
 * One table per thread, reused: the caller sums it before the next call.
 */
const lanes = new Uint32Array(1024);

function countBytes(bytes: Uint8Array): Uint32Array {
	lanes.fill(0);
	const {length} = bytes;
	const end = length & ~3;
	let i = 0;
	for (; i < end; i += 4) {
		lanes[bytes[i]]++;
		lanes[256 + bytes[i + 1]]++;
		lanes[512 + bytes[i + 2]]++;
		lanes[768 + bytes[i + 3]]++;
	}

	for (; i < length; i++) {
		lanes[bytes[i]]++;
	}

	return lanes;
}
