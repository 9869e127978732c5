import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {evaluateCompliance, type ComplianceCheckId, type ComplianceFacts} from '../../source/core/policy/compliance.js';
import type {MediumFacts} from '../../source/core/policy/media.js';
import {Repository} from '../../source/core/repository/repository.js';
import {renderMessage} from '../../source/text/messages/render.js';
import {defaultSettings} from '../../source/settings/schema.js';
import {SettingsStore} from '../../source/settings/store.js';
import {StateStore, type GenerationSummary} from '../../source/settings/state.js';
import {sedai} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/trees.js';
import {sparseHistory} from './helpers/history.js';

process.env['SEDAI_HOME'] = temporaryDirectory('sedai-home-');

const dayMs = 86_400_000;

function summaries(times: string[], prefix: string, protection: GenerationSummary['protection'] = 'immutable'): GenerationSummary[] {
	return times.map((time, i) => ({
		id: `${prefix}${String(i).padStart(6, '0')}`.padEnd(64, '0'),
		shortId: `${prefix}${String(i).padStart(6, '0')}`.slice(0, 8),
		seq: i + 1,
		time,
		files: 100,
		bytes: 1000,
		newBytes: 10,
		storedBytes: 10,
		suspect: false,
		...(protection ? {protection} : {}),
	}));
}

/**
 * A site that meets the guideline, `shift` ms after the sparse history ends (2026-02-04): RDX-A
 * connected with a year of GFS generations, RDX-B ejected two days ago, a NAS folder, fresh
 * verifications and a drill.
 */
function goodSite(shift = 0): ComplianceFacts {
	const at = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
	const settings = {
		...defaultSettings(),
		targets: [
			{name: 'RDX-A', kind: 'cartridge' as const, label: 'RDX-A'},
			{name: 'RDX-B', kind: 'cartridge' as const, label: 'RDX-B'},
			{name: 'NAS', kind: 'folder' as const, path: '/mnt/nas/sedai'},
		],
		rotation: ['RDX-A', 'RDX-B'],
	};
	const history = sparseHistory().map(time => at(time));
	const media: MediumFacts[] = [
		{id: 'a'.repeat(32), label: 'RDX-A', encrypted: true, removable: true, firstSeen: history[0], lastSeen: at('2026-02-05T08:00:00Z'), lastPath: '/mnt/rdx/sedai', present: true, generations: summaries(history, 'aa')},
		{id: 'b'.repeat(32), label: 'RDX-B', encrypted: true, removable: true, firstSeen: history[0], lastSeen: at('2026-02-03T08:00:00Z'), lastPath: '/mnt/rdx/sedai', present: false, offlineSince: at('2026-02-03T08:00:00Z'), offlineReason: 'ejected', generations: summaries(history.filter(time => time < at('2026-02-03')), 'bb', undefined)},
		{id: 'c'.repeat(32), label: 'NAS', encrypted: false, removable: false, firstSeen: history[0], lastSeen: at('2026-02-05T08:00:00Z'), lastPath: '/mnt/nas/sedai', present: true, generations: summaries(history.slice(-5), 'cc', 'immutable')},
	];
	const verification = (repositoryId: string, label: string, time: string) => ({repositoryId, label, level: 'full' as const, ok: true, time: at(time), durationMs: 1000, problems: 0, bytesRead: 1_000_000});
	return {
		now: new Date(Date.parse('2026-02-05T09:00:00Z') + shift),
		utcOffsetMinutes: 0,
		settings,
		media,
		verifications: [
			verification('a'.repeat(32), 'RDX-A', '2026-02-04T02:00:00Z'),
			verification('b'.repeat(32), 'RDX-B', '2026-02-02T02:00:00Z'),
			verification('c'.repeat(32), 'NAS', '2026-02-01T02:00:00Z'),
		],
		drills: [{repositoryId: 'a'.repeat(32), label: 'RDX-A', generation: 'aa'.padEnd(64, '0'), generationTime: at('2026-01-14T01:00:00Z'), time: at('2026-01-15T10:00:00Z'), ok: true, files: 100, bytes: 1000, restoreMs: 120_000, verifyMs: 30_000, into: '/var/tmp/sedai-restore', mismatches: 0}],
	};
}

function failing(facts: ComplianceFacts): ComplianceCheckId[] {
	return evaluateCompliance(facts).checks.filter(check => !check.pass).map(check => check.id);
}

/** One check, its messages in English (the Japanese rendering is tested in test/text/). */
function check(facts: ComplianceFacts, id: ComplianceCheckId) {
	const found = evaluateCompliance(facts).checks.find(item => item.id === id)!;
	return {...found, evidence: found.evidence.map(line => renderMessage(line, 'en')), action: found.action && renderMessage(found.action, 'en')};
}

test('a site meeting the guideline passes all seven checks, with evidence for each', t => {
	const report = evaluateCompliance(goodSite());
	t.deepEqual(report.checks.map(item => item.id), ['generations', 'write-protected', 'offline-copy', 'multiple-methods', 'verified', 'restore-drill', 'encrypted']);
	t.true(report.pass, `${JSON.stringify(report.checks.filter(item => !item.pass), undefined, 1)}`);
	t.is(report.passed, 7);
	for (const item of report.checks) {
		t.true(item.evidence.length > 0, `${item.id}`);
		t.is(item.action, undefined, `${item.id}`);
	}

	t.regex(check(goodSite(), 'generations').evidence[0], /^140 sealed generation\(s\) from 2025-01-01 to 2026-02-04/);
	t.regex(check(goodSite(), 'offline-copy').evidence.join(' '), /RDX-B.*offline since 2026-02-03 \(ejected\), newest generation 2026-02-02/);
	t.regex(check(goodSite(), 'restore-drill').evidence.join(' '), /RTO 120 s/);
});

test('generations: too few, or a tier with gaps, fails and says what to do', t => {
	const few = goodSite();
	few.media = [{...few.media[0], generations: few.media[0].generations.slice(-2)}];
	const item = check(few, 'generations');
	t.false(item.pass);
	t.regex(item.action!, /at least 3 generations exist \(2 now\)/);

	// Only weekly backups since mid-January: the daily tier is not filled.
	const gappy = goodSite();
	for (const medium of gappy.media) {
		medium.generations = medium.generations.filter(generation => generation.time < '2026-01-15' || new Date(generation.time).getUTCDay() === 3);
	}

	const gaps = check(gappy, 'generations');
	t.false(gaps.pass);
	t.regex(gaps.action!, /daily \(1 of the last 7 days, 5 expected\)/);
	// RDX-B's newest generation is now a Wednesday 8+ days back: its offline copy is stale too.
	t.deepEqual(failing(gappy), ['generations', 'offline-copy']);

	// Backups stopped three weeks ago: the recent tiers are empty.
	const stopped = goodSite();
	stopped.now = new Date(Date.parse('2026-02-25T09:00:00Z'));
	stopped.verifications = stopped.verifications.map(record => ({...record, time: '2026-02-24T00:00:00.000Z'}));
	t.regex(check(stopped, 'generations').action!, /daily \(0 of the last 7 days/);
});

test('write protection: an unprotected 3rd-or-older generation fails, naming it; offline media count as protected', t => {
	const facts = goodSite();
	const {generations} = facts.media[0];
	const victim = generations.at(-4)!;
	victim.protection = 'none';
	victim.protectionNote = 'exFAT has no immutable flag';
	const item = check(facts, 'write-protected');
	t.false(item.pass);
	t.regex(item.evidence.join(' '), new RegExp(String.raw`${victim.shortId} \(#${victim.seq}, \d{4}-\d{2}-\d{2}: exFAT has no immutable flag\)`));
	t.truthy(item.action);
	t.deepEqual(failing(facts), ['write-protected']);

	// The two newest may be unprotected; RDX-B has no protection records but is offline.
	const newest = goodSite();
	for (const generation of newest.media[0].generations.slice(-2)) {
		generation.protection = 'none';
	}

	t.true(check(newest, 'write-protected').pass);
	t.regex(check(newest, 'write-protected').evidence.join(' '), /RDX-B.*offline since 2026-02-03/);

	// A read-only file mode is one chmod away from writable: it does not count.
	const modeOnly = goodSite();
	for (const generation of modeOnly.media[2].generations) {
		generation.protection = 'read-only';
	}

	t.false(check(modeOnly, 'write-protected').pass);
	t.regex(check(modeOnly, 'write-protected').evidence.join(' '), /"NAS": 3 generation\(s\) from the 3rd newest on: 3 read-only/);

	// An unreachable medium (the NAS share not mounted) is not protected: nothing can be confirmed.
	const unmounted = goodSite();
	unmounted.media[2].present = false;
	const item2 = check(unmounted, 'write-protected');
	t.false(item2.pass);
	t.regex(item2.evidence.join(' '), /"NAS": not reachable now and not ejected by Sedai/);

	// Its write-protect switch on: protected whatever the files say.
	const locked = goodSite();
	locked.media[0].hardwareWriteProtected = true;
	for (const generation of locked.media[0].generations) {
		generation.protection = 'none';
	}

	t.true(check(locked, 'write-protected').pass);
});

test('offline copy: no ejected medium, or only a stale one, fails with the rotation advice', t => {
	const online = goodSite();
	delete online.media[1].offlineSince;
	online.media[1].present = true;
	const item = check(online, 'offline-copy');
	t.false(item.pass);
	t.regex(item.evidence.join(' '), /No cartridge with generations is ejected or stored away/);
	// RDX-A holds the newest backup and RDX-B is due: A must go offline.
	t.regex(item.action!, /Eject RDX-A/);
	t.deepEqual(failing(online), ['offline-copy']);

	const stale = goodSite();
	stale.now = new Date(Date.parse('2026-02-05T09:00:00Z') + (20 * dayMs));
	const old = check(stale, 'offline-copy');
	t.false(old.pass);
	t.regex(old.evidence.join(' '), /older than 8 days/);

	// Pulled without an eject: not counted until the technician confirms it is stored away.
	const pulled = goodSite();
	pulled.media[1].offlineReason = 'disappeared';
	t.false(check(pulled, 'offline-copy').pass);
	pulled.media[1].offlineReason = 'stored';
	t.true(check(pulled, 'offline-copy').pass);

	// The NAS share unmounted (unreachable) is no offline copy, even with RDX-B back online.
	const share = goodSite();
	delete share.media[1].offlineSince;
	share.media[1].present = true;
	share.media[2].present = false;
	t.false(check(share, 'offline-copy').pass);

	// Its last full verification found damage: it does not count.
	const damaged = goodSite();
	damaged.verifications.push({...damaged.verifications[1], time: '2026-02-02T05:00:00.000Z', ok: false, problems: 1});
	const bad = check(damaged, 'offline-copy');
	t.false(bad.pass);
	t.regex(bad.evidence.join(' '), /its last full verification \(2026-02-02\) found 1 problem\(s\), so it does not count/);
});

test('rotation: a cartridge whose SMART verdict is FAILING is to be replaced, never stored away', t => {
	const online = goodSite();
	delete online.media[1].offlineSince;
	online.media[1].present = true;
	online.media[0].lastSmart = {verdict: 'failing', time: '2026-02-05T08:00:00.000Z'};
	const report = evaluateCompliance(online);
	const advice = report.rotation.advice.map(line => renderMessage(line, 'en'));
	t.deepEqual(report.rotation.replace, ['RDX-A']);
	t.true(advice.some(line => line.startsWith('Replace RDX-A: its drive reports SMART FAILING')), advice.join(' '));
	t.false(advice.some(line => line.includes('RDX-A') && /store it offline|Eject RDX-A/.test(line)), advice.join(' '));
	t.regex(check(online, 'offline-copy').action!, /Replace RDX-A/);
	// The healthy one still gets its usual advice.
	const healthy = goodSite();
	delete healthy.media[1].offlineSince;
	healthy.media[1].present = true;
	t.regex(check(healthy, 'offline-copy').action!, /Eject RDX-A and store it offline/);
});

test('more than one method: a single medium fails', t => {
	const facts = goodSite();
	facts.media = [facts.media[0]];
	const item = check(facts, 'multiple-methods');
	t.false(item.pass);
	t.regex(item.evidence.join(' '), /Only one medium/);
	t.regex(item.action!, /second target/);
	const two = goodSite();
	two.media = [two.media[0], two.media[2]];
	t.true(check(two, 'multiple-methods').pass);
});

test('verified: a failed, stale or missing full verification of a medium in use fails, naming it', t => {
	const damaged = goodSite();
	damaged.verifications.push({...damaged.verifications[0], time: '2026-02-05T03:00:00.000Z', ok: false, problems: 2});
	const item = check(damaged, 'verified');
	t.false(item.pass);
	t.regex(item.evidence.join(' '), /RDX-A.*latest full verification \(2026-02-05\) found 2 problem/);
	t.regex(item.action!, /RDX-A/);
	t.deepEqual(failing(damaged), ['verified']);

	const stale = goodSite();
	stale.verifications = stale.verifications.filter(record => record.label !== 'NAS');
	stale.verifications.push({...stale.verifications[0], repositoryId: 'c'.repeat(32), label: 'NAS', time: '2025-12-01T00:00:00.000Z'});
	t.regex(check(stale, 'verified').evidence.join(' '), /NAS.*older than 31 days/);
	t.false(check(stale, 'verified').pass);

	const structureOnly = goodSite();
	structureOnly.verifications = structureOnly.verifications.map(record => ({...record, level: 'structure' as const}));
	t.false(check(structureOnly, 'verified').pass);
	t.regex(check(structureOnly, 'verified').evidence.join(' '), /never fully verified/);
});

test('restore drill: none, too old, or failed fails', t => {
	const none = goodSite();
	none.drills = [];
	t.false(check(none, 'restore-drill').pass);
	t.regex(check(none, 'restore-drill').action!, /restore drill/);

	const old = goodSite();
	old.drills[0].time = '2025-10-01T00:00:00.000Z';
	t.false(check(old, 'restore-drill').pass);

	const failed = goodSite();
	failed.drills[0].ok = false;
	failed.drills[0].mismatches = 3;
	const item = check(failed, 'restore-drill');
	t.false(item.pass);
	t.regex(item.evidence.join(' '), /FAILED \(3 mismatch/);
	t.deepEqual(failing(failed), ['restore-drill']);

	// The latest drill failed: an older success does not make it pass.
	const relapse = goodSite();
	relapse.drills.push({...relapse.drills[0], time: '2026-02-01T10:00:00.000Z', ok: false, mismatches: 1});
	const latest = check(relapse, 'restore-drill');
	t.false(latest.pass);
	t.regex(latest.evidence.join(' '), /Latest drill 2026-02-01 .*FAILED/);
	t.regex(latest.action!, /The latest drill \(2026-02-01, "RDX-A"\) FAILED/);
	// Media without a recent successful drill are named.
	t.regex(check(goodSite(), 'restore-drill').evidence.join(' '), /No successful drill in the last 90 days from "RDX-B", "NAS"/);
});

test('encrypted: a plaintext cartridge fails; a plaintext folder target does not', t => {
	const facts = goodSite();
	facts.media[1].encrypted = false;
	const item = check(facts, 'encrypted');
	t.false(item.pass);
	t.regex(item.evidence.join(' '), /RDX-B.*NOT encrypted/);
	t.regex(item.action!, /RDX-B/);
	t.deepEqual(failing(facts), ['encrypted']);
	t.true(check(goodSite(), 'encrypted').pass, 'the NAS folder is plaintext and that is fine');

	// Unknown media (no target, removability unknown) are treated as removable.
	const stranger = goodSite();
	stranger.media.push({...stranger.media[2], id: 'd'.repeat(32), label: 'USB-STICK', removable: undefined, lastPath: '/media/usb/sedai'});
	t.false(check(stranger, 'encrypted').pass);
});

test('sedai compliance --json: one record per check, exit 0 only when all pass', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		fs.rmSync(work, {recursive: true, force: true});
	});
	const home = path.join(work, 'home');
	const nas = path.join(work, 'nas');
	const rdxA = path.join(work, 'rdx-a');
	const a = await Repository.init(rdxA, {label: 'RDX-A', passphrase: 'correct horse battery'});
	const n = await Repository.init(nas, {label: 'NAS'});
	// The same good site, moved to today, state as Sedai would have recorded it, under the real
	// repositories' ids. The connected media are looked at for real (their protection with lsattr),
	// so the long history is on RDX-B, which is ejected; the connected ones hold two each.
	const shift = Date.now() - Date.parse('2026-02-05T09:00:00Z');
	const site = JSON.parse(JSON.stringify(goodSite(shift)).replaceAll('a'.repeat(32), a.id).replaceAll('c'.repeat(32), n.id)) as ComplianceFacts;
	const [rdxAFacts, rdxBFacts, nasFacts] = site.media;
	const at = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
	rdxBFacts.generations = summaries(sparseHistory().map(time => at(time)), 'bb').filter(generation => generation.time < at('2026-02-03T00:00:00Z'));
	rdxAFacts.generations = rdxAFacts.generations.slice(-2);
	nasFacts.generations = summaries([at('2026-02-03T01:00:00Z'), at('2026-02-04T01:00:00Z')], 'cc');
	const settings = new SettingsStore(home);
	settings.update({targets: [...site.settings.targets.slice(0, 2), {name: 'NAS', kind: 'folder', path: nas}], rotation: site.settings.rotation});
	const state = new StateStore(home);
	for (const medium of site.media) {
		const {present: _present, offlineSince, offlineReason, firstSeen: _first, lastSeen: _last, ...record} = medium;
		state.remember({...record, lastPath: medium.label === 'NAS' ? nas : (medium.label === 'RDX-A' ? rdxA : path.join(work, 'gone'))}, new Date(Date.parse(medium.lastSeen)));
		if (offlineSince) {
			state.markOffline(medium.id, offlineReason ?? 'ejected', new Date(offlineSince));
		}
	}

	for (const record of site.verifications) {
		state.recordVerification(record);
	}

	state.recordDrill(site.drills[0]);
	const passing = await sedai(['compliance', '--json'], {home});
	t.is(passing.exitCode, 0, `${passing.stdout}`);
	t.is(passing.lines.filter(line => line['type'] === 'check').length, 7);
	t.true(passing.summary?.['ok']);
	t.is(passing.summary?.['passed'], 7);

	// RDX-B taken for missing (pulled, not ejected by Sedai): no offline copy any more.
	state.remember({...state.cartridge('b'.repeat(32))!});
	state.markOffline('b'.repeat(32), 'disappeared');
	const failingRun = await sedai(['compliance', '--json'], {home});
	t.is(failingRun.exitCode, 1);
	t.true((failingRun.summary?.['failing'] as string[]).includes('offline-copy'), JSON.stringify(failingRun.summary));
	const offline = failingRun.lines.find(line => line['id'] === 'offline-copy')!;
	t.false(offline['pass']);
	t.regex(String(offline['evidence']), /confirm it \(sedai eject RDX-B --stored-away/);
	const human = await sedai(['compliance'], {home});
	t.is(human.exitCode, 1);
	t.regex(human.stdout, /FAIL +Offline copy/);

	// The technician confirms it is on the shelf: it counts again.
	const stored = await sedai(['eject', 'RDX-B', '--stored-away', '--json'], {home});
	t.is(stored.exitCode, 0, stored.stdout + stored.stderr);
	t.is(stored.summary?.['reason'], 'stored');
	const again = await sedai(['compliance', '--json'], {home});
	t.is(again.exitCode, 0, again.stdout);
});
