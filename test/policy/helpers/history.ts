import type {RetentionRule} from '../../../source/core/policy/retention.js';

/**
 * Synthetic histories spanning 400 days (2025-01-01 … 2026-02-04, UTC) and, worked out by hand
 * from a calendar, which rules keep which generation under the default policy (keep-last 3,
 * daily 7, weekly 4, monthly 12, yearly 3). 2025-01-01 is a Wednesday.
 */
const dayMs = 86_400_000;
const start = Date.UTC(2025, 0, 1, 1);

function at(day: number, hour = 1): string {
	return new Date(start + (day * dayMs) + ((hour - 1) * 3_600_000)).toISOString();
}

/**
 * Sparse: weekly (Wednesdays) for a year, then daily for the last 15 days with a two-day gap
 * (2026-01-28/29) and two backups on the last day.
 */
export function sparseHistory(): string[] {
	const times: string[] = [];
	for (let day = 0; day <= 378; day += 7) {
		times.push(at(day));
	}

	for (let day = 385; day <= 399; day++) {
		if (day !== 392 && day !== 393) {
			times.push(at(day));
		}
	}

	times.push(at(399, 13));
	return times;
}

const everything: RetentionRule[] = ['last', 'daily', 'weekly', 'monthly', 'yearly', 'newest-clean', 'guideline-minimum'];

export const sparseExpected: Record<string, RetentionRule[]> = {
	'2026-02-04T13:00:00.000Z': everything,
	'2026-02-04T01:00:00.000Z': ['last', 'guideline-minimum'],
	'2026-02-03T01:00:00.000Z': ['last', 'daily', 'guideline-minimum'],
	'2026-02-02T01:00:00.000Z': ['daily'],
	'2026-02-01T01:00:00.000Z': ['daily', 'weekly'],
	'2026-01-31T01:00:00.000Z': ['daily', 'monthly'],
	'2026-01-30T01:00:00.000Z': ['daily'],
	'2026-01-27T01:00:00.000Z': ['daily'],
	'2026-01-25T01:00:00.000Z': ['weekly'],
	'2026-01-14T01:00:00.000Z': ['weekly'],
	'2025-12-31T01:00:00.000Z': ['monthly', 'yearly'],
	'2025-11-26T01:00:00.000Z': ['monthly'],
	'2025-10-29T01:00:00.000Z': ['monthly'],
	'2025-09-24T01:00:00.000Z': ['monthly'],
	'2025-08-27T01:00:00.000Z': ['monthly'],
	'2025-07-30T01:00:00.000Z': ['monthly'],
	'2025-06-25T01:00:00.000Z': ['monthly'],
	'2025-05-28T01:00:00.000Z': ['monthly'],
	'2025-04-30T01:00:00.000Z': ['monthly'],
	'2025-03-26T01:00:00.000Z': ['monthly'],
};

/** Dense: a backup every day at 01:00 except 2026-01-28…30, plus 13:00 on 2025-12-31 and 2026-02-04. */
export function denseHistory(): string[] {
	const times: string[] = [];
	for (let day = 0; day <= 399; day++) {
		if (day < 392 || day > 394) {
			times.push(at(day));
		}

		if (day === 364 || day === 399) {
			times.push(at(day, 13));
		}
	}

	return times;
}

export const denseExpected: Record<string, RetentionRule[]> = {
	'2026-02-04T13:00:00.000Z': everything,
	'2026-02-04T01:00:00.000Z': ['last', 'guideline-minimum'],
	'2026-02-03T01:00:00.000Z': ['last', 'daily', 'guideline-minimum'],
	'2026-02-02T01:00:00.000Z': ['daily'],
	'2026-02-01T01:00:00.000Z': ['daily', 'weekly'],
	'2026-01-31T01:00:00.000Z': ['daily', 'monthly'],
	'2026-01-27T01:00:00.000Z': ['daily'],
	'2026-01-26T01:00:00.000Z': ['daily'],
	'2026-01-25T01:00:00.000Z': ['weekly'],
	'2026-01-18T01:00:00.000Z': ['weekly'],
	'2025-12-31T13:00:00.000Z': ['monthly', 'yearly'],
	'2025-11-30T01:00:00.000Z': ['monthly'],
	'2025-10-31T01:00:00.000Z': ['monthly'],
	'2025-09-30T01:00:00.000Z': ['monthly'],
	'2025-08-31T01:00:00.000Z': ['monthly'],
	'2025-07-31T01:00:00.000Z': ['monthly'],
	'2025-06-30T01:00:00.000Z': ['monthly'],
	'2025-05-31T01:00:00.000Z': ['monthly'],
	'2025-04-30T01:00:00.000Z': ['monthly'],
	'2025-03-31T01:00:00.000Z': ['monthly'],
};
