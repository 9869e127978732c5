import type {SiteSettings} from '../../settings/schema.js';
import type {CartridgeRecord, DrillRecord, GenerationSummary, VerificationRecord} from '../../settings/state.js';
import {bucketKey, bucketsBetween, guidelineMinimum, recentBucketKeys, type Tier} from './retention.js';
import {describeMedium, gatherMedia, isOffline, kindOf, type MediumFacts} from './media.js';
import {rotationStatus, type RotationStatus} from './rotation.js';
import {guidelineShortName} from './guideline.js';

/**
 * The guideline 6.0 checklist (DESIGN §6), evaluated over every medium Sedai knows, online or
 * offline. Pure: the facts come in (local state, settings, the time), a verdict per check goes
 * out with the evidence behind it and the one action that fixes a failure.
 */
export type ComplianceCheckId = 'generations' | 'write-protected' | 'offline-copy' | 'multiple-methods' | 'verified' | 'restore-drill' | 'encrypted';

export type ComplianceCheck = {
	id: ComplianceCheckId;
	title: string;
	requirement: string;
	pass: boolean;
	/** What was looked at: generations, media, dates. */
	evidence: string[];
	/** What to do when it fails. */
	action?: string;
};

export type ComplianceFacts = {
	now: Date;
	settings: Pick<SiteSettings, 'retention' | 'compliance' | 'targets' | 'rotation'>;
	media: MediumFacts[];
	verifications: VerificationRecord[];
	drills: DrillRecord[];
	utcOffsetMinutes?: number;
};

export type ComplianceReport = {
	time: string;
	guideline: string;
	pass: boolean;
	passed: number;
	failed: number;
	checks: ComplianceCheck[];
	rotation: RotationStatus;
};

const dayMs = 86_400_000;
type Located = GenerationSummary & {medium: MediumFacts};

function day(iso: string): string {
	return iso.slice(0, 10);
}

function age(now: Date, iso: string): string {
	const days = Math.floor((now.getTime() - Date.parse(iso)) / dayMs);
	return days <= 0 ? 'today' : `${days} day(s) ago`;
}

function list(items: string[], limit = 4): string {
	return items.length > limit ? `${items.slice(0, limit).join(', ')} and ${items.length - limit} more` : items.join(', ');
}

export function evaluateCompliance(facts: ComplianceFacts): ComplianceReport {
	const rotation = rotationStatus(facts.settings.rotation, facts.settings.targets, facts.media);
	const checks = [
		generationsCheck(facts),
		writeProtectedCheck(facts),
		offlineCheck(facts, rotation),
		methodsCheck(facts),
		verifiedCheck(facts),
		drillCheck(facts),
		encryptedCheck(facts),
	];
	const passed = checks.filter(check => check.pass).length;
	return {time: facts.now.toISOString(), guideline: guidelineShortName, pass: passed === checks.length, passed, failed: checks.length - passed, checks, rotation};
}

/** The checklist over what this machine remembers, looking at the media reachable now. */
export async function assessCompliance(state: {cartridges(): CartridgeRecord[]; verifications(): VerificationRecord[]; drills(): DrillRecord[]}, settings: ComplianceFacts['settings'], now = new Date()): Promise<ComplianceReport> {
	return evaluateCompliance({now, settings, media: await gatherMedia(state.cartridges()), verifications: state.verifications(), drills: state.drills()});
}

function allGenerations(facts: ComplianceFacts): Located[] {
	return facts.media.flatMap(medium => medium.generations.map(generation => ({...generation, medium})));
}

function generationsCheck(facts: ComplianceFacts): ComplianceCheck {
	const minimum = Math.max(guidelineMinimum, facts.settings.compliance.minGenerations);
	const generations = allGenerations(facts).sort((a, b) => a.time.localeCompare(b.time));
	const check: ComplianceCheck = {id: 'generations', title: 'Generations', requirement: `at least ${minimum} sealed generations, with recent ones in each retention tier (days, weeks, months, years) as far back as the history goes`, pass: false, evidence: []};
	if (generations.length === 0) {
		check.evidence.push('No generation on any known medium.');
		check.action = 'Run a backup (sedai backup --plan NAME, or the Backup view) and schedule it nightly.';
		return check;
	}

	const perMedium = facts.media.filter(medium => medium.generations.length > 0).map(medium => `${describeMedium(medium, facts.settings.targets)}: ${medium.generations.length}`);
	check.evidence.push(`${generations.length} sealed generation(s) from ${day(generations[0].time)} to ${day(generations.at(-1)!.time)} (${perMedium.join('; ')}).`);
	const suspect = generations.filter(generation => generation.suspect);
	if (suspect.length > 0) {
		check.evidence.push(`${suspect.length} of them are marked SUSPECT by the ransomware sentinel (${list(suspect.map(generation => `${generation.shortId} ${day(generation.time)}`))}).`);
	}

	// Each tier's window (the last N days, weeks, months, years) must hold generations, as far
	// back as the history goes; a closed day (weekend) or a missed week/month is tolerated.
	const gaps: string[] = [];
	const {retention} = facts.settings;
	const now = facts.now.getTime();
	for (const tier of ['daily', 'weekly', 'monthly', 'yearly'] as Tier[]) {
		const count = retention[tier];
		if (count === 0) {
			continue;
		}

		const window = recentBucketKeys(tier, now, count, facts.utcOffsetMinutes);
		const have = new Set(generations.map(generation => bucketKey(tier, generation.time, facts.utcOffsetMinutes)).filter(key => window.includes(key))).size;
		const reach = Math.min(count, bucketsBetween(tier, generations[0].time, now, facts.utcOffsetMinutes));
		const need = Math.max(1, reach - (tier === 'daily' ? 2 : 1));
		check.evidence.push(`${tier}: generations in ${have} of the last ${count} ${unit(tier)}s (at least ${need} expected).`);
		if (have < need) {
			gaps.push(`${tier} (${have} of the last ${count} ${unit(tier)}s, ${need} expected)`);
		}
	}

	const enough = generations.length >= minimum;
	check.pass = enough && gaps.length === 0;
	if (!enough) {
		check.action = `Run backups until at least ${minimum} generations exist (${generations.length} now), one a day.`;
	} else if (gaps.length > 0) {
		check.action = `Back up every day so each tier fills: ${gaps.join('; ')}. Schedule the plan nightly (systemd timer or cron running sedai backup --plan NAME --json).`;
	}

	return check;
}

function unit(tier: Tier): string {
	return {daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year'}[tier];
}

function writeProtectedCheck(facts: ComplianceFacts): ComplianceCheck {
	const check: ComplianceCheck = {id: 'write-protected', title: 'Write protection', requirement: 'every generation from the 3rd newest on (per medium) is read-only/immutable or on write-protected or offline media', pass: false, evidence: []};
	const withGenerations = facts.media.filter(medium => medium.generations.length > 0);
	if (withGenerations.length === 0) {
		check.evidence.push('No generation on any known medium: nothing is protected yet.');
		check.action = 'Run a backup first; Sedai write-protects each sealed generation.';
		return check;
	}

	const unprotected: string[] = [];
	for (const medium of withGenerations) {
		const name = describeMedium(medium, facts.settings.targets);
		const older = [...medium.generations].sort((a, b) => b.time.localeCompare(a.time)).slice(2);
		if (older.length === 0) {
			check.evidence.push(`${name}: fewer than 3 generations, nothing from the 3rd on yet.`);
			continue;
		}

		if (isOffline(medium)) {
			check.evidence.push(`${name}: offline${medium.offlineSince ? ` since ${day(medium.offlineSince)}` : ''}, so all ${older.length} older generation(s) are out of reach.`);
			continue;
		}

		const counts = new Map<string, number>();
		const bad: string[] = [];
		for (const generation of older) {
			const protection = generation.protection ?? 'unknown';
			counts.set(protection, (counts.get(protection) ?? 0) + 1);
			if (protection !== 'immutable' && protection !== 'read-only' && protection !== 'offline') {
				bad.push(`${generation.shortId} (#${generation.seq}, ${day(generation.time)}${generation.protectionNote ? `: ${generation.protectionNote}` : ''})`);
			}
		}

		check.evidence.push(`${name}: ${older.length} generation(s) from the 3rd newest on: ${[...counts].map(([state, count]) => `${count} ${state}`).join(', ')}.`);
		if (bad.length > 0) {
			unprotected.push(`${name}: ${list(bad)}`);
		}
	}

	check.pass = unprotected.length === 0;
	if (!check.pass) {
		check.evidence.push(`Not write-protected: ${unprotected.join('; ')}.`);
		check.action = 'Write-protect them: Sedai marks sealed generations read-only and, run as root on a filesystem that allows it, immutable; a medium that cannot (exFAT/NTFS, some NAS shares) must be kept offline between backups.';
	}

	return check;
}

function offlineCheck(facts: ComplianceFacts, rotation: RotationStatus): ComplianceCheck {
	const within = facts.settings.compliance.offlineWithinDays;
	const check: ComplianceCheck = {id: 'offline-copy', title: 'Offline copy', requirement: `at least one generation from the last ${within} days on media that is disconnected now (an ejected cartridge)`, pass: false, evidence: []};
	const offline = facts.media.filter(medium => isOffline(medium) && medium.generations.length > 0);
	const cutoff = facts.now.getTime() - (within * dayMs);
	for (const medium of offline) {
		const newest = medium.generations.map(generation => generation.time).sort().at(-1)!;
		const recent = Date.parse(newest) >= cutoff;
		check.evidence.push(`${describeMedium(medium, facts.settings.targets)}: offline${medium.offlineSince ? ` since ${day(medium.offlineSince)} (${medium.offlineReason ?? 'ejected'})` : ' (not reachable now)'}, newest generation ${day(newest)} (${age(facts.now, newest)})${recent ? '' : `: older than ${within} days`}.`);
		if (recent) {
			check.pass = true;
		}
	}

	if (offline.length === 0) {
		check.evidence.push('No medium with generations is offline: every copy is reachable by ransomware on this network.');
	}

	if (!check.pass) {
		check.action = rotation.advice.length > 0
			? rotation.advice.join(' ')
			: 'Back up to a cartridge and eject it (sedai eject, or Drives view), then keep it away from the server.';
	}

	return check;
}

function methodsCheck(facts: ComplianceFacts): ComplianceCheck {
	const check: ComplianceCheck = {id: 'multiple-methods', title: 'More than one method', requirement: 'generations on at least 2 distinct media or targets (e.g. two rotating cartridges, or a cartridge and a NAS folder)', pass: false, evidence: []};
	const used = facts.media.filter(medium => medium.generations.length > 0);
	for (const medium of used) {
		const newest = medium.generations.map(generation => generation.time).sort().at(-1)!;
		check.evidence.push(`${describeMedium(medium, facts.settings.targets)} (${kindOf(medium, facts.settings.targets)}): ${medium.generations.length} generation(s), newest ${day(newest)}.`);
	}

	check.pass = used.length >= 2;
	if (!check.pass) {
		check.evidence.push(used.length === 0 ? 'No medium holds a generation.' : 'Only one medium holds generations.');
		check.action = 'Add a second target to the backup plan (another cartridge in rotation, or a NAS folder) and back up to it: settings plans[].targets.';
	}

	return check;
}

function verifiedCheck(facts: ComplianceFacts): ComplianceCheck {
	const within = facts.settings.compliance.verifyWithinDays;
	const check: ComplianceCheck = {id: 'verified', title: 'Verified', requirement: `a full verification (every byte re-read) within the last ${within} days with 0 errors, on every medium in use`, pass: false, evidence: []};
	const cutoff = facts.now.getTime() - (within * dayMs);
	const active = facts.media.filter(medium => medium.generations.some(generation => Date.parse(generation.time) >= cutoff));
	const failing: string[] = [];
	const paths: string[] = [];
	for (const medium of active) {
		const name = describeMedium(medium, facts.settings.targets);
		const full = facts.verifications.filter(record => record.repositoryId === medium.id && record.level === 'full').sort((a, b) => a.time.localeCompare(b.time));
		const latest = full.at(-1);
		const fail = (line: string) => {
			check.evidence.push(line);
			failing.push(name);
			if (medium.lastPath && !isOffline(medium)) {
				paths.push(medium.lastPath);
			}
		};

		if (!latest) {
			fail(`${name}: never fully verified.`);
		} else if (!latest.ok || latest.problems > 0) {
			fail(`${name}: the latest full verification (${day(latest.time)}) found ${latest.problems} problem(s).`);
		} else if (Date.parse(latest.time) < cutoff) {
			fail(`${name}: last full verification ${day(latest.time)} (${age(facts.now, latest.time)}), older than ${within} days.`);
		} else {
			check.evidence.push(`${name}: full verification ${day(latest.time)} (${age(facts.now, latest.time)}), 0 errors.`);
		}
	}

	if (active.length === 0) {
		check.evidence.push(`No medium has a generation from the last ${within} days.`);
		check.action = 'Back up, then run a full verification (sedai verify --full --repo PATH).';
		return check;
	}

	check.pass = failing.length === 0;
	if (!check.pass) {
		check.action = `Run a full verification of ${list(failing)} (the Verify view, or sedai verify --full --repo ${paths[0] ?? 'PATH'}${paths.length > 1 ? ' and the others' : ''}; an ejected cartridge must be inserted first); if it finds damage, back up to a healthy medium.`;
	}

	return check;
}

function drillCheck(facts: ComplianceFacts): ComplianceCheck {
	const within = facts.settings.compliance.drillWithinDays;
	const check: ComplianceCheck = {id: 'restore-drill', title: 'Restore drill', requirement: `a successful test restore within the last ${within} days, with its recovery time (RTO) recorded`, pass: false, evidence: []};
	const cutoff = facts.now.getTime() - (within * dayMs);
	const drills = [...facts.drills].sort((a, b) => a.time.localeCompare(b.time));
	const good = drills.findLast(drill => drill.ok && Number.isFinite(drill.restoreMs) && Date.parse(drill.time) >= cutoff);
	const latest = drills.at(-1);
	if (good) {
		check.pass = true;
		check.evidence.push(`Drill ${day(good.time)} (${age(facts.now, good.time)}): "${good.label}" generation ${good.generation.slice(0, 8)} of ${day(good.generationTime)}, ${good.files} file(s) restored and verified, RTO ${Math.round(good.restoreMs / 1000)} s.`);
	}

	if (latest && latest !== good) {
		check.evidence.push(`Latest drill ${day(latest.time)} (${age(facts.now, latest.time)}): ${latest.ok ? 'passed' : `FAILED (${latest.mismatches} mismatch(es))`}.`);
	}

	if (!latest) {
		check.evidence.push('No restore drill recorded.');
	}

	if (!check.pass) {
		check.action = 'Run a restore drill into the scratch folder (Restore view, or sedai restore latest --repo PATH --into SCRATCH): it is timed and every byte is verified.';
	}

	return check;
}

function encryptedCheck(facts: ComplianceFacts): ComplianceCheck {
	const check: ComplianceCheck = {id: 'encrypted', title: 'Encrypted removable media', requirement: 'every repository on removable media (cartridges) is encrypted (AES-256-GCM)', pass: true, evidence: []};
	const plain: string[] = [];
	for (const medium of facts.media) {
		const kind = kindOf(medium, facts.settings.targets);
		if (kind === 'folder') {
			continue;
		}

		const name = describeMedium(medium, facts.settings.targets);
		check.evidence.push(`${name} (${kind === 'unknown' ? 'not known to be fixed, treated as removable' : 'removable'}): ${medium.encrypted ? 'encrypted' : 'NOT encrypted'}.`);
		if (!medium.encrypted) {
			plain.push(name);
		}
	}

	if (check.evidence.length === 0) {
		check.evidence.push('No removable medium is known.');
	}

	if (plain.length > 0) {
		check.pass = false;
		check.action = `Replace the plaintext repository on ${list(plain)}: create an encrypted one (sedai init without --plaintext), back up to it, then retire the old one; or, if it is a fixed disk, declare it as a folder target in settings.`;
	}

	return check;
}
