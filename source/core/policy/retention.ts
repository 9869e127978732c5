import {SedaiError} from '../errors.js';
import type {Retention} from './site-policy.js';
import {guidelineName} from './guideline.js';

/**
 * Grandfather–father–son retention. Each rule keeps the newest generation of each of its last N
 * buckets (restic's semantics: buckets are counted among the days, weeks, months and years that
 * have generations, so a missed day does not shorten the history). On top of the rules: the
 * newest clean generation is never removed, the newest `minGenerations` always stay, and while
 * any generation is suspect (ransomware sentinel) the last clean ones before it stay too.
 */
export type RetentionRule = 'last' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'newest-clean' | 'clean-before-suspect' | 'guideline-minimum';

export type RetainableGeneration = {
	id: string;
	seq: number;
	time: string;
	/** Judged suspect by the sentinel (absent or false: clean): as in a state summary … */
	suspect?: boolean;
	/** … or as sealed in the generation's header. */
	sentinel?: {suspect: boolean};
};

export function isSuspect(generation: RetainableGeneration): boolean {
	return generation.suspect ?? generation.sentinel?.suspect ?? false;
}

export type KeepReason = {
	rule: RetentionRule;
	/** 1 = the newest bucket of this rule. */
	rank?: number;
	of?: number;
	/** The day (2026-02-04), ISO week (2026-W06), month (2026-02) or year it stands for. */
	bucket?: string;
	text: string;
	/** When this rule alone would let it go if one backup a day continues (ISO); absent: no end date. */
	expires?: string;
};

export type RetentionDecision<G extends RetainableGeneration> = {
	generation: G;
	keep: boolean;
	reasons: KeepReason[];
	/**
	 * Earliest time a later prune could remove it if one backup a day continues (ISO); absent
	 * when it stays until newer clean generations exist.
	 */
	expires?: string;
};

export type RetentionPlan<G extends RetainableGeneration> = {
	/** Newest first. */
	decisions: Array<RetentionDecision<G>>;
	keep: G[];
	remove: G[];
};

export type RetentionOptions = {
	/** The guideline's floor (at least 3). */
	minGenerations?: number;
	/** Offset from UTC for day/week/month boundaries; default: this machine's local time. */
	utcOffsetMinutes?: number;
};

export const guidelineMinimum = 3;
const dayMs = 86_400_000;

const tiers = [
	{rule: 'daily', key: 'daily', label: 'daily'},
	{rule: 'weekly', key: 'weekly', label: 'weekly'},
	{rule: 'monthly', key: 'monthly', label: 'monthly'},
	{rule: 'yearly', key: 'yearly', label: 'yearly'},
] as const;

export type Tier = typeof tiers[number]['rule'];

/** The most generations this policy can hold (each rule's buckets are distinct generations). */
export function policyCapacity(policy: Retention): number {
	return Math.max(policy.keepLast, policy.daily, policy.weekly, policy.monthly, policy.yearly);
}

export function validatePolicy(policy: Retention, minGenerations = guidelineMinimum): void {
	const floor = Math.max(guidelineMinimum, minGenerations);
	for (const [name, value] of Object.entries(policy)) {
		if (!Number.isInteger(value) || value < 0) {
			throw new SedaiError('bad-config', `The retention setting ${name} is ${String(value)}: use a whole number of 0 or more.`);
		}
	}

	const capacity = policyCapacity(policy);
	if (capacity < floor) {
		throw new SedaiError('policy', `This retention policy keeps at most ${capacity} generation(s) (keep-last ${policy.keepLast}, daily ${policy.daily}, weekly ${policy.weekly}, monthly ${policy.monthly}, yearly ${policy.yearly}): ${guidelineName} requires multi-generation backups of at least ${floor} generations; set keep-last, daily, weekly or monthly to ${floor} or more.`, {capacity, minimum: floor});
	}
}

function offsetOf(time: number, options: RetentionOptions): number {
	return options.utcOffsetMinutes ?? -new Date(time).getTimezoneOffset();
}

/** Bucket key and the bucket's start, in "shifted" milliseconds (wall clock read as UTC). */
function bucketOf(tier: Tier, shifted: number): {key: string; start: number} {
	const date = new Date(shifted);
	const year = date.getUTCFullYear();
	const month = date.getUTCMonth();
	const day = Date.UTC(year, month, date.getUTCDate());
	switch (tier) {
		case 'daily': {
			return {key: new Date(day).toISOString().slice(0, 10), start: day};
		}

		case 'weekly': {
			// ISO 8601: weeks start on Monday; the week belongs to the year of its Thursday.
			const weekday = (date.getUTCDay() + 6) % 7;
			const monday = day - (weekday * dayMs);
			const thursday = new Date(monday + (3 * dayMs));
			const isoYear = thursday.getUTCFullYear();
			const week = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * dayMs));
			return {key: `${isoYear}-W${String(week).padStart(2, '0')}`, start: monday};
		}

		case 'monthly': {
			return {key: `${year}-${String(month + 1).padStart(2, '0')}`, start: Date.UTC(year, month, 1)};
		}

		case 'yearly': {
			return {key: String(year), start: Date.UTC(year, 0, 1)};
		}
	}
}

/** The day, ISO week, month or year a time falls in (local time unless an offset is given). */
export function bucketKey(tier: Tier, time: string | number, utcOffsetMinutes?: number): string {
	const ms = typeof time === 'number' ? time : Date.parse(time);
	return bucketOf(tier, ms + (offsetOf(ms, {utcOffsetMinutes}) * 60_000)).key;
}

/** How many buckets of a tier from `from` to `to`, both counted. */
export function bucketsBetween(tier: Tier, from: string | number, to: string | number, utcOffsetMinutes?: number): number {
	const start = typeof from === 'number' ? from : Date.parse(from);
	const end = typeof to === 'number' ? to : Date.parse(to);
	let at = bucketOf(tier, start + (offsetOf(start, {utcOffsetMinutes}) * 60_000)).start;
	const last = bucketOf(tier, end + (offsetOf(end, {utcOffsetMinutes}) * 60_000)).start;
	let count = 1;
	while (at < last && count < 10_000) {
		at = addBuckets(tier, at, 1);
		count++;
	}

	return count;
}

/** The keys of the `count` buckets ending with the one `time` falls in, newest first. */
export function recentBucketKeys(tier: Tier, time: string | number, count: number, utcOffsetMinutes?: number): string[] {
	const ms = typeof time === 'number' ? time : Date.parse(time);
	const {start} = bucketOf(tier, ms + (offsetOf(ms, {utcOffsetMinutes}) * 60_000));
	return Array.from({length: count}, (_, i) => bucketOf(tier, addBuckets(tier, start, -i)).key);
}

function addBuckets(tier: Tier, start: number, count: number): number {
	const date = new Date(start);
	switch (tier) {
		case 'daily': {
			return start + (count * dayMs);
		}

		case 'weekly': {
			return start + (count * 7 * dayMs);
		}

		case 'monthly': {
			return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, 1);
		}

		case 'yearly': {
			return Date.UTC(date.getUTCFullYear() + count, 0, 1);
		}
	}
}

function newestFirst<G extends RetainableGeneration>(a: G, b: G): number {
	return b.seq - a.seq || b.time.localeCompare(a.time);
}

export function selectRetention<G extends RetainableGeneration>(generations: G[], policy: Retention, options: RetentionOptions = {}): RetentionPlan<G> {
	const minGenerations = Math.max(guidelineMinimum, options.minGenerations ?? guidelineMinimum);
	validatePolicy(policy, minGenerations);
	const sorted = [...generations].sort(newestFirst);
	const reasons = new Map<G, KeepReason[]>(sorted.map(generation => [generation, []]));
	const expiries = new Map<G, number[]>();
	const until = new Set<G>();
	const keep = (generation: G, reason: KeepReason, expires?: number) => {
		reasons.get(generation)!.push(expires === undefined ? reason : {...reason, expires: new Date(expires).toISOString()});
		if (expires === undefined) {
			until.add(generation);
		} else {
			expiries.set(generation, [...expiries.get(generation) ?? [], expires]);
		}
	};

	const newestTime = sorted.length > 0 ? Date.parse(sorted[0].time) : 0;
	for (const [i, generation] of sorted.slice(0, policy.keepLast).entries()) {
		keep(generation, {rule: 'last', rank: i + 1, of: policy.keepLast, text: `last ${i + 1}/${policy.keepLast}`}, newestTime + ((policy.keepLast - i) * dayMs));
	}

	for (const {rule, key, label} of tiers) {
		const count = policy[key];
		if (count === 0 || sorted.length === 0) {
			continue;
		}

		const newestShifted = Date.parse(sorted[0].time) + (offsetOf(Date.parse(sorted[0].time), options) * 60_000);
		const newestStart = bucketOf(rule, newestShifted).start;
		// The newest generation's week (month, year) gets a newer representative with tomorrow's
		// backup, unless tomorrow already starts a new one.
		const tomorrow = bucketOf('daily', newestShifted).start + dayMs;
		const currentEndsToday = bucketOf(rule, tomorrow).start !== newestStart;
		let last: string | undefined;
		let rank = 0;
		for (const generation of sorted) {
			const time = Date.parse(generation.time);
			const offset = offsetOf(time, options);
			const bucket = bucketOf(rule, time + (offset * 60_000));
			if (bucket.key === last) {
				continue;
			}

			last = bucket.key;
			rank++;
			if (rank > count) {
				break;
			}

			// It drops out once `count - rank + 1` newer buckets exist after the newest one.
			const current = rank === 1 && !currentEndsToday;
			const expires = (current ? tomorrow : addBuckets(rule, newestStart, count - rank + 1)) - (offset * 60_000);
			keep(generation, {rule, rank, of: count, bucket: bucket.key, text: `${label} ${rank}/${count} (${bucket.key})`}, expires);
		}
	}

	const clean = sorted.filter(generation => !isSuspect(generation));
	if (clean.length > 0) {
		keep(clean[0], {rule: 'newest-clean', text: 'newest clean generation (never pruned)'});
	}

	for (const [i, generation] of sorted.slice(0, minGenerations).entries()) {
		keep(generation, {rule: 'guideline-minimum', rank: i + 1, of: minGenerations, text: `guideline minimum ${i + 1}/${minGenerations}`});
	}

	// A backup of already-encrypted data is worthless: hold the clean ones from before the attack.
	const holdClean = Math.max(minGenerations, policy.keepLast);
	for (const suspect of sorted.filter(generation => isSuspect(generation))) {
		const before = clean.filter(generation => newestFirst(suspect, generation) < 0).slice(0, holdClean);
		for (const [i, generation] of before.entries()) {
			if (!reasons.get(generation)!.some(reason => reason.rule === 'clean-before-suspect')) {
				keep(generation, {rule: 'clean-before-suspect', rank: i + 1, of: holdClean, text: `clean ${i + 1}/${holdClean} before suspect #${suspect.seq}`});
			}
		}
	}

	const decisions = sorted.map(generation => {
		const why = reasons.get(generation)!;
		const decision: RetentionDecision<G> = {generation, keep: why.length > 0, reasons: why};
		const times = expiries.get(generation);
		if (decision.keep && !until.has(generation) && times) {
			decision.expires = new Date(times.reduce((latest, time) => Math.max(latest, time), Number.NEGATIVE_INFINITY)).toISOString();
		}

		return decision;
	});
	return {
		decisions,
		keep: decisions.filter(decision => decision.keep).map(decision => decision.generation),
		remove: decisions.filter(decision => !decision.keep).map(decision => decision.generation),
	};
}
