/** "20%", "0.2" or "20 %" as a share in (0, 1]; undefined when it is not one. */
export function parseShare(text: string): number | undefined {
	const match = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
	if (!match) {
		return undefined;
	}

	const value = Number(match[1]) / (match[2] ? 100 : 1);
	return value > 0 && value <= 1 ? value : undefined;
}

const unitMs: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** "10m", "90s", "1h30m" or "500ms" in milliseconds; undefined when it is not a time. */
export function parseDuration(text: string): number | undefined {
	const compact = text.trim().toLowerCase();
	const parts = [...compact.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
	if (parts.length === 0 || parts.map(part => part[0]).join('') !== compact) {
		return undefined;
	}

	const total = parts.reduce((sum, part) => sum + (Number(part[1]) * unitMs[part[2]]), 0);
	return total > 0 ? total : undefined;
}
