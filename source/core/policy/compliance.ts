import {message, nameList, sentences, type Message} from '../message.js';
import type {SitePolicy} from './site-policy.js';
import type {DrillRecord, GenerationSummary, VerificationRecord} from './records.js';
import {bucketKey, bucketsBetween, guidelineMinimum, recentBucketKeys, type Tier} from './retention.js';
import {describeMedium, isOffline, isStoredAway, kindOf, type MediumFacts} from './media.js';
import {rotationStatus, type RotationStatus} from './rotation.js';
import {guidelineShortName} from './guideline.js';

/**
 * The guideline 6.0 checklist (DESIGN §6), evaluated over every medium Sedai knows, online or
 * offline. Pure: the facts come in (local state and what the media themselves hold, settings,
 * the time), a verdict per check goes out with the evidence behind it and the one action that
 * fixes a failure. A check passes only on evidence that is there: an unreachable medium proves
 * nothing, so it is neither an offline copy nor protected.
 */
export type ComplianceCheckId = 'generations' | 'write-protected' | 'offline-copy' | 'multiple-methods' | 'verified' | 'restore-drill' | 'encrypted';

export type ComplianceCheck = {
	id: ComplianceCheckId;
	/** What the check is called and what it asks; front ends render them from their catalog. */
	title: Message;
	requirement: Message;
	pass: boolean;
	/** What was looked at: generations, media, dates. */
	evidence: Message[];
	/** What to do when it fails. */
	action?: Message;
};

export type ComplianceFacts = {
	now: Date;
	settings: SitePolicy;
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

function age(now: Date, iso: string): Message {
	const days = Math.floor((now.getTime() - Date.parse(iso)) / dayMs);
	return days <= 0 ? message('age.today') : message('age.days', {days});
}

/** The title and requirement of a check, with the figures the requirement quotes. */
function start(id: ComplianceCheckId, params?: Record<string, number>): ComplianceCheck {
	return {id, title: message(`compliance.${id}.title`), requirement: message(`compliance.${id}.requirement`, params), pass: false, evidence: []};
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

function allGenerations(facts: ComplianceFacts): Located[] {
	return facts.media.flatMap(medium => medium.generations.map(generation => ({...generation, medium})));
}

function generationsCheck(facts: ComplianceFacts): ComplianceCheck {
	const minimum = Math.max(guidelineMinimum, facts.settings.compliance.minGenerations);
	const generations = allGenerations(facts).sort((a, b) => a.time.localeCompare(b.time));
	const check = start('generations', {minimum});
	if (generations.length === 0) {
		check.evidence.push(message('compliance.generations.none'));
		check.action = message('compliance.generations.noneAction');
		return check;
	}

	const perMedium = facts.media.filter(medium => medium.generations.length > 0).map(medium => `${describeMedium(medium, facts.settings.targets)}: ${medium.generations.length}`);
	check.evidence.push(message('compliance.generations.range', {count: generations.length, from: day(generations[0].time), to: day(generations.at(-1)!.time), media: perMedium.join('; ')}));
	const suspect = generations.filter(generation => generation.suspect);
	if (suspect.length > 0) {
		check.evidence.push(message('compliance.generations.suspect', {count: suspect.length, generations: nameList(suspect.map(generation => `${generation.shortId} ${day(generation.time)}`))}));
	}

	// Each tier's window (the last N days, weeks, months, years) must hold generations, as far
	// back as the history goes; a closed day (weekend) or a missed week/month is tolerated.
	const gaps: Message[] = [];
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
		check.evidence.push(message(`compliance.generations.tier.${tier}`, {have, count, need}));
		if (have < need) {
			gaps.push(message(`compliance.generations.gap.${tier}`, {have, count, need}));
		}
	}

	const enough = generations.length >= minimum;
	check.pass = enough && gaps.length === 0;
	if (!enough) {
		check.action = message('compliance.generations.fewAction', {minimum, count: generations.length});
	} else if (gaps.length > 0) {
		check.action = message('compliance.generations.gapsAction', {gaps});
	}

	return check;
}

function writeProtectedCheck(facts: ComplianceFacts): ComplianceCheck {
	const check = start('write-protected');
	const withGenerations = facts.media.filter(medium => medium.generations.length > 0);
	if (withGenerations.length === 0) {
		check.evidence.push(message('compliance.write-protected.none'));
		check.action = message('compliance.write-protected.noneAction');
		return check;
	}

	const unprotected: Message[] = [];
	for (const medium of withGenerations) {
		const name = describeMedium(medium, facts.settings.targets);
		const older = [...medium.generations].sort((a, b) => b.time.localeCompare(a.time)).slice(2);
		if (older.length === 0) {
			check.evidence.push(message('compliance.write-protected.few', {medium: name}));
		} else if (isStoredAway(medium, facts.settings.targets)) {
			check.evidence.push(message('compliance.write-protected.offlineSince', {medium: name, since: day(medium.offlineSince!), count: older.length}));
		} else if (isOffline(medium)) {
			// Out of reach but not put away: nothing says what happens to it while it is gone.
			check.evidence.push(message('compliance.write-protected.unreachable', {medium: name, count: older.length}));
			unprotected.push(message('compliance.write-protected.unreachableOn', {medium: name}));
		} else if (medium.hardwareWriteProtected) {
			check.evidence.push(message('compliance.write-protected.switch', {medium: name, count: older.length}));
		} else {
			const bad = protectionCounts(check, name, older);
			if (bad.length > 0) {
				unprotected.push(message('compliance.write-protected.unprotectedOn', {medium: name, generations: nameList(bad)}));
			}
		}
	}

	check.pass = unprotected.length === 0;
	if (!check.pass) {
		check.evidence.push(message('compliance.write-protected.unprotected', {media: unprotected}));
		check.action = message('compliance.write-protected.action');
	}

	return check;
}

/** The evidence line for a reachable medium's older generations, and those not immutable. */
function protectionCounts(check: ComplianceCheck, name: string, older: GenerationSummary[]): string[] {
	const counts = new Map<string, number>();
	const bad: string[] = [];
	for (const generation of older) {
		const protection = generation.protection ?? 'unknown';
		counts.set(protection, (counts.get(protection) ?? 0) + 1);
		// Only the immutable flag holds against root: a read-only mode is one chmod away from writable.
		if (protection !== 'immutable') {
			bad.push(`${generation.shortId} (#${generation.seq}, ${day(generation.time)}${generation.protectionNote ? `: ${generation.protectionNote}` : ''})`);
		}
	}

	const states = [...counts].map(([state, count]) => message('protection.count', {count, state: message(`protection.${state}`)}));
	check.evidence.push(message('compliance.write-protected.counts', {medium: name, count: older.length, states}));
	return bad;
}

/** The newest full verification of a medium, from this machine's records and the medium's own. */
function latestFull(facts: ComplianceFacts, mediumId: string): VerificationRecord | undefined {
	return facts.verifications.filter(record => record.repositoryId === mediumId && record.level === 'full').sort((a, b) => a.time.localeCompare(b.time)).at(-1);
}

function verifiedClean(record: VerificationRecord | undefined): boolean {
	return record !== undefined && record.ok && record.problems === 0;
}

function verificationNote(record: VerificationRecord | undefined): Message {
	if (!record) {
		return message('compliance.offline-copy.neverVerified');
	}

	return verifiedClean(record)
		? message('compliance.offline-copy.verifiedClean', {date: day(record.time)})
		: message('compliance.offline-copy.verifiedProblems', {date: day(record.time), problems: record.problems});
}

function offlineCheck(facts: ComplianceFacts, rotation: RotationStatus): ComplianceCheck {
	const within = facts.settings.compliance.offlineWithinDays;
	const check = start('offline-copy', {within});
	const cutoff = facts.now.getTime() - (within * dayMs);
	const toVerify: string[] = [];
	let storedAway = 0;
	for (const medium of facts.media.filter(item => item.generations.length > 0 && isOffline(item))) {
		const name = describeMedium(medium, facts.settings.targets);
		if (!isStoredAway(medium, facts.settings.targets)) {
			check.evidence.push(unstoredLine(medium, name, facts));
			continue;
		}

		storedAway++;
		const newest = medium.generations.map(generation => generation.time).sort().at(-1)!;
		const recent = Date.parse(newest) >= cutoff;
		const verification = latestFull(facts, medium.id);
		check.evidence.push(message(recent ? 'compliance.offline-copy.medium' : 'compliance.offline-copy.mediumStale', {
			medium: name,
			offline: message('compliance.offline-copy.since', {since: day(medium.offlineSince!), reason: message(`offline.${medium.offlineReason!}`)}),
			newest: day(newest),
			age: age(facts.now, newest),
			within,
			verified: verificationNote(verification),
		}));
		if (recent && verifiedClean(verification)) {
			check.pass = true;
		} else if (recent) {
			toVerify.push(name);
		}
	}

	if (storedAway === 0) {
		check.evidence.push(message('compliance.offline-copy.none'));
	}

	if (!check.pass) {
		if (toVerify.length > 0) {
			check.action = message('compliance.offline-copy.verifyAction', {media: nameList(toVerify)});
		} else {
			check.action = rotation.advice.length > 0 ? sentences(rotation.advice) : message('compliance.offline-copy.action');
		}
	}

	return check;
}

/** Why an unreachable medium is no offline copy: a folder never is; a cartridge needs to be put away. */
function unstoredLine(medium: MediumFacts, name: string, facts: ComplianceFacts): Message {
	if (kindOf(medium, facts.settings.targets) === 'folder') {
		return message('compliance.offline-copy.folderUnreachable', {medium: name});
	}

	return medium.offlineSince
		? message('compliance.offline-copy.missing', {medium: name, since: day(medium.offlineSince), label: medium.label})
		: message('compliance.offline-copy.unreachableCartridge', {medium: name, label: medium.label});
}

function methodsCheck(facts: ComplianceFacts): ComplianceCheck {
	const check = start('multiple-methods');
	const used = facts.media.filter(medium => medium.generations.length > 0);
	for (const medium of used) {
		const newest = medium.generations.map(generation => generation.time).sort().at(-1)!;
		check.evidence.push(message('compliance.multiple-methods.medium', {medium: describeMedium(medium, facts.settings.targets), kind: message(`medium.${kindOf(medium, facts.settings.targets)}`), count: medium.generations.length, newest: day(newest)}));
	}

	check.pass = used.length >= 2;
	if (!check.pass) {
		check.evidence.push(message(used.length === 0 ? 'compliance.multiple-methods.none' : 'compliance.multiple-methods.one'));
		check.action = message('compliance.multiple-methods.action');
	}

	return check;
}

function verifiedCheck(facts: ComplianceFacts): ComplianceCheck {
	const within = facts.settings.compliance.verifyWithinDays;
	const check = start('verified', {within});
	const cutoff = facts.now.getTime() - (within * dayMs);
	const active = facts.media.filter(medium => medium.generations.some(generation => Date.parse(generation.time) >= cutoff));
	const failing: string[] = [];
	const paths: string[] = [];
	for (const medium of active) {
		const name = describeMedium(medium, facts.settings.targets);
		const latest = latestFull(facts, medium.id);
		const fail = (line: Message) => {
			check.evidence.push(line);
			failing.push(name);
			if (medium.lastPath && !isOffline(medium)) {
				paths.push(medium.lastPath);
			}
		};

		if (!latest) {
			fail(message('compliance.verified.never', {medium: name}));
		} else if (!latest.ok || latest.problems > 0) {
			fail(message('compliance.verified.problems', {medium: name, date: day(latest.time), problems: latest.problems}));
		} else if (Date.parse(latest.time) < cutoff) {
			fail(message('compliance.verified.old', {medium: name, date: day(latest.time), age: age(facts.now, latest.time), within}));
		} else {
			check.evidence.push(message('compliance.verified.ok', {medium: name, date: day(latest.time), age: age(facts.now, latest.time)}));
		}
	}

	if (active.length === 0) {
		check.evidence.push(message('compliance.verified.noRecent', {within}));
		check.action = message('compliance.verified.noRecentAction');
		return check;
	}

	check.pass = failing.length === 0;
	if (!check.pass) {
		check.action = message(paths.length > 1 ? 'compliance.verified.actionMany' : 'compliance.verified.action', {media: nameList(failing), path: paths[0] ?? 'PATH'});
	}

	return check;
}

function drillCheck(facts: ComplianceFacts): ComplianceCheck {
	const within = facts.settings.compliance.drillWithinDays;
	const check = start('restore-drill', {within});
	const cutoff = facts.now.getTime() - (within * dayMs);
	const passed = (drill: DrillRecord) => drill.ok && Number.isFinite(drill.restoreMs) && Date.parse(drill.time) >= cutoff;
	const drills = [...facts.drills].sort((a, b) => a.time.localeCompare(b.time));
	const good = drills.findLast(drill => passed(drill));
	const latest = drills.at(-1);
	if (good) {
		check.evidence.push(message('compliance.restore-drill.good', {date: day(good.time), age: age(facts.now, good.time), label: good.label, generation: good.generation.slice(0, 8), generationDate: day(good.generationTime), files: good.files, seconds: rtoSeconds(good.restoreMs)}));
	}

	if (latest && latest !== good) {
		check.evidence.push(latest.ok
			? message('compliance.restore-drill.latestPassed', {date: day(latest.time), age: age(facts.now, latest.time)})
			: message('compliance.restore-drill.latestFailed', {date: day(latest.time), age: age(facts.now, latest.time), mismatches: latest.mismatches, label: latest.label}));
	}

	if (!latest) {
		check.evidence.push(message('compliance.restore-drill.none'));
	}

	// Which media a recovery might need that no recent drill has tried.
	const undrilled = facts.media.filter(medium => medium.generations.length > 0 && !drills.some(drill => drill.repositoryId === medium.id && passed(drill)));
	if (undrilled.length > 0) {
		check.evidence.push(message('compliance.restore-drill.undrilled', {media: nameList(undrilled.map(medium => describeMedium(medium, facts.settings.targets))), within}));
	}

	// The latest drill decides: a failure is not made good by an older success.
	check.pass = good !== undefined && latest?.ok === true;
	if (!check.pass) {
		check.action = latest && !latest.ok
			? message('compliance.restore-drill.failedAction', {date: day(latest.time), label: latest.label})
			: message('compliance.restore-drill.action');
	}

	return check;
}

function encryptedCheck(facts: ComplianceFacts): ComplianceCheck {
	const check = {...start('encrypted'), pass: true};
	const plain: string[] = [];
	for (const medium of facts.media) {
		const kind = kindOf(medium, facts.settings.targets);
		if (kind === 'folder') {
			continue;
		}

		const name = describeMedium(medium, facts.settings.targets);
		check.evidence.push(message(medium.encrypted ? 'compliance.encrypted.yes' : 'compliance.encrypted.no', {medium: name, kind: message(kind === 'unknown' ? 'medium.assumedRemovable' : 'medium.removable')}));
		if (!medium.encrypted) {
			plain.push(name);
		}
	}

	if (check.evidence.length === 0) {
		check.evidence.push(message('compliance.encrypted.none'));
	}

	if (plain.length > 0) {
		check.pass = false;
		check.action = message('compliance.encrypted.action', {media: nameList(plain)});
	}

	return check;
}

/** Seconds of a restore time: tenths below 10 s, so a sub-second drill reads "0.4 s", never "0 s". */
export function rtoSeconds(ms: number): string {
	return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}
