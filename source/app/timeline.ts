import type {GenerationSummary, ProtectionState, VerificationRecord} from '../settings/state.js';
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
	verified?: {time: string; level: 'structure' | 'full'; ok: boolean};
	protection: ProtectionState | 'unknown';
};

export function buildTimeline(targets: TargetStatus[], verifications: readonly VerificationRecord[]): TimelineRow[] {
	const rows: TimelineRow[] = [];
	for (const target of targets) {
		const {record} = target;
		if (!record) {
			continue;
		}

		const checks = verifications.filter(check => check.repositoryId === record.id).sort((a, b) => b.time.localeCompare(a.time));
		const newestFirst = [...record.generations].sort((a, b) => b.seq - a.seq);
		for (const [age, generation] of newestFirst.entries()) {
			const check = checks.find(item => item.time >= generation.time);
			rows.push({
				key: `${record.id}:${generation.id}`,
				repositoryId: record.id,
				label: record.label,
				online: target.online,
				generation,
				age,
				...(check ? {verified: {time: check.time, level: check.level, ok: check.ok}} : {}),
				protection: generation.protection ?? (target.online ? (target.writeProtected ? 'read-only' : 'unknown') : 'offline'),
			});
		}
	}

	return rows.sort((a, b) => b.generation.time.localeCompare(a.generation.time) || a.label.localeCompare(b.label));
}

/** Newest sealed generation anywhere, for the status bar. */
export function newestGeneration(rows: TimelineRow[]): TimelineRow | undefined {
	return rows[0];
}
