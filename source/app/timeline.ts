import type {DrillRecord, GenerationSummary, ProtectionState, VerificationRecord} from '../settings/state.js';
import type {Retention} from '../settings/schema.js';
import {selectRetention, type RetentionDecision, type RetentionRule} from '../core/policy/retention.js';
import type {TargetStatus} from './catalog.js';

/**
 * All generations of all known cartridges and folders on one timeline, newest first, each with
 * where it lives, whether that medium is online, when it was last verified and how protected it is.
 */
export type TimelineRow = {
	key: string;
	repositoryId: string;
	label: string;
	online: boolean;
	generation: GenerationSummary;
	/** Position from the newest on its medium (0 = newest). */
	age: number;
	/**
	 * The newest evidence for it: a check of its medium since it was sealed, or a test restore
	 * (or drill) of this very generation, which read and compared every file.
	 */
	verified?: {time: string; level: 'structure' | 'full' | 'restore'; ok: boolean};
	protection: ProtectionState | 'unknown';
	/** What its medium's retention policy would do with it (absent: the policy is invalid). */
	retention?: RowRetention;
};

/**
 * The tier a generation belongs to is the rule that will keep it longest if daily backups go on
 * (a month's last generation ends up a 'monthly'; the days before it stay 'daily' and expire as
 * such); 'hold': kept only by a safety rule (newest clean, guideline minimum, clean before a
 * suspect one); 'prune': kept by none.
 */
export type RetentionTier = 'daily' | 'weekly' | 'monthly' | 'yearly' | 'last' | 'hold' | 'prune';
export const tierOrder: RetentionTier[] = ['last', 'daily', 'weekly', 'monthly', 'yearly', 'hold', 'prune'];

export type RowRetention = {
	tier: RetentionTier;
	keep: boolean;
	/** The rules that keep it, e.g. "daily 2/7 (2026-11-21)". */
	reasons: string[];
	rules: RetentionRule[];
	/** Each keeping rule's rank, e.g. {daily: '2/7'}. */
	ranks: Partial<Record<RetentionRule, string>>;
	expires?: string;
};

const tierRules = new Set<RetentionRule>(['last', 'daily', 'weekly', 'monthly', 'yearly']);

export function rowRetention(decision: RetentionDecision<GenerationSummary>): RowRetention {
	const timed = decision.reasons.filter(reason => tierRules.has(reason.rule) && reason.expires);
	const longest = timed.sort((a, b) => b.expires!.localeCompare(a.expires!))[0];
	const tier: RetentionTier = decision.keep ? (longest?.rule as RetentionTier | undefined) ?? 'hold' : 'prune';
	const ranks: Partial<Record<RetentionRule, string>> = {};
	for (const reason of decision.reasons) {
		if (reason.rank !== undefined && reason.of !== undefined) {
			ranks[reason.rule] = `${reason.rank}/${reason.of}`;
		}
	}

	return {tier, keep: decision.keep, reasons: decision.reasons.map(reason => reason.text), rules: decision.reasons.map(reason => reason.rule), ranks, ...(decision.expires ? {expires: decision.expires} : {})};
}

export type TimelinePolicy = {retention: Retention; minGenerations: number};

function retentionOf(generations: GenerationSummary[], policy: TimelinePolicy | undefined): Map<string, RowRetention> {
	const result = new Map<string, RowRetention>();
	if (!policy) {
		return result;
	}

	try {
		for (const decision of selectRetention(generations, policy.retention, {minGenerations: policy.minGenerations}).decisions) {
			result.set(decision.generation.id, rowRetention(decision));
		}
	} catch {
		// An invalid policy is refused by `sedai prune` and flagged on each row's detail line.
	}

	return result;
}

export function buildTimeline(targets: TargetStatus[], verifications: readonly VerificationRecord[], policyFor?: (target: TargetStatus) => TimelinePolicy, restores: readonly DrillRecord[] = []): TimelineRow[] {
	const rows: TimelineRow[] = [];
	for (const target of targets) {
		const {record} = target;
		if (!record) {
			continue;
		}

		// A rolling slice read part of the packs: it vouches for no generation by itself.
		const checks = verifications.filter(check => check.repositoryId === record.id && check.level !== 'slice').sort((a, b) => b.time.localeCompare(a.time));
		const newestFirst = [...record.generations].sort((a, b) => b.seq - a.seq);
		const retention = retentionOf(newestFirst, policyFor?.(target));
		for (const [age, generation] of newestFirst.entries()) {
			const check = newest(checks.find(item => item.time >= generation.time), restoreOf(restores, record.id, generation.id));
			const kept = retention.get(generation.id);
			rows.push({
				key: `${record.id}:${generation.id}`,
				repositoryId: record.id,
				label: record.label,
				online: target.online,
				generation,
				age,
				...(check ? {verified: check} : {}),
				protection: generation.protection ?? (target.online ? (target.writeProtected ? 'read-only' : 'unknown') : 'offline'),
				...(kept ? {retention: kept} : {}),
			});
		}
	}

	return rows.sort((a, b) => b.generation.time.localeCompare(a.generation.time) || a.label.localeCompare(b.label));
}

type Evidence = NonNullable<TimelineRow['verified']>;

function restoreOf(restores: readonly DrillRecord[], repositoryId: string, generationId: string): Evidence | undefined {
	let found: DrillRecord | undefined;
	for (const item of restores) {
		if (item.repositoryId === repositoryId && item.generation === generationId && (!found || item.time > found.time)) {
			found = item;
		}
	}

	return found ? {time: found.time, level: 'restore', ok: found.ok} : undefined;
}

function newest(check: VerificationRecord | undefined, restore: Evidence | undefined): Evidence | undefined {
	const verified: Evidence | undefined = check && check.level !== 'slice' ? {time: check.time, level: check.level, ok: check.ok} : undefined;
	if (!verified || !restore) {
		return verified ?? restore;
	}

	return restore.time > verified.time ? restore : verified;
}

/** Newest sealed generation anywhere, for the status bar. */
export function newestGeneration(rows: TimelineRow[]): TimelineRow | undefined {
	return rows[0];
}

/** Grouped by tier (as a prune would keep them), newest first within each tier. */
export function groupByTier(rows: TimelineRow[]): TimelineRow[] {
	const rank = (row: TimelineRow) => tierOrder.indexOf(row.retention?.tier ?? 'hold');
	return [...rows].sort((a, b) => rank(a) - rank(b) || b.generation.time.localeCompare(a.generation.time));
}
