/**
 * The known name a typo was most likely meant to be ("dayly" → "daily", "Sources" → "sources"),
 * or undefined when none is close: at most a third of the name's letters differ.
 */
export function nearestName(typed: string, known: string[]): string | undefined {
	let best: {name: string; distance: number} | undefined;
	for (const name of known) {
		const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
		if (!best || distance < best.distance) {
			best = {name, distance};
		}
	}

	return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance, counting a swap of two neighbours as one edit. */
function editDistance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : (j === 0 ? i : 0))));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
			}
		}
	}

	return rows[a.length][b.length];
}
