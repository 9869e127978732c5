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

	const counts = new Uint32Array(256);
	for (const byte of bytes) {
		counts[byte]++;
	}

	let bits = 0;
	let symbols = 0;
	for (const count of counts) {
		if (count > 0) {
			symbols++;
			const p = count / bytes.length;
			bits -= p * Math.log2(p);
		}
	}

	const corrected = bits + ((symbols - 1) / (2 * bytes.length * Math.LN2));
	return Math.min(8, corrected);
}
