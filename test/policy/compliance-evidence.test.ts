import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {assessCompliance} from '../../source/app/operations/compliance.js';
import {confirmStoredAway} from '../../source/app/operations/media-actions.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {writeRecord} from '../../source/core/repository/records.js';
import {layoutOf} from '../../source/core/repository/layout.js';
import {recordVerification} from '../../source/settings/remember.js';
import {rememberReport} from '../../source/system/cartridge-memory.js';
import {protectRepository, sealedFiles} from '../../source/system/generation-protection.js';
import {renderMessage} from '../../source/text/messages/render.js';
import {createLoopCartridge, requireLoopSupport} from '../helpers/loop-device.js';
import {temporaryDirectory} from '../helpers/trees.js';
import {check, drillReport, makeSite, medium, type Site} from './helpers/compliance-site.js';

/**
 * Compliance passes only on evidence that is there, over real repositories made by the engine:
 * an unmounted share is no offline copy, a read-only file mode is no protection, and the
 * verifications and drill reports a cartridge carries count wherever it is read.
 */
process.env['SEDAI_HOME'] = temporaryDirectory('sedai-home-');

const dayMs = 86_400_000;

async function away(root: string): Promise<void> {
	await fs.rename(root, `${root}-away`);
}

/** Two plain-folder media so "more than one method" is not what fails. */
async function folderSite(t: Parameters<typeof makeSite>[0]): Promise<{site: Site; nas: string}> {
	const site = await makeSite(t);
	const nas = path.join(site.work, 'nas');
	site.settings.update({targets: [{name: 'NAS', kind: 'folder', path: nas}]});
	await medium(site, nas, 'NAS');
	return {site, nas};
}

test('offline copy: an unmounted NAS folder is not an offline copy', async t => {
	const {site, nas} = await folderSite(t);
	const {id} = site.state.findByLabel('NAS')!;
	await away(nas);
	// What the drive poll records when the share stops answering.
	site.state.markOffline(id, 'disappeared');
	const offline = await check(site, 'offline-copy');
	t.false(offline.pass, offline.evidence);
	t.regex(offline.evidence, /"NAS": not reachable now, but a folder or share that is merely unmounted is no offline copy/);
});

test('offline copy: an ejected cartridge counts only once its last full verification is clean', async t => {
	const site = await makeSite(t);
	const rdx = path.join(site.work, 'rdx-b');
	const repository = await medium(site, rdx, 'RDX-B', {removable: true});
	const {id} = repository;
	site.state.markOffline(id, 'ejected');
	await away(rdx);
	const unverified = await check(site, 'offline-copy');
	t.false(unverified.pass, unverified.evidence);
	t.regex(unverified.evidence, /"RDX-B": offline since \d{4}-\d{2}-\d{2} \(ejected\), newest generation .*never fully verified, so it does not count/);
	t.regex(unverified.action, /Insert "RDX-B", run a full verification/);

	// Verified (clean) before it went to the shelf: now it is the offline copy.
	await fs.rename(`${rdx}-away`, rdx);
	recordVerification(site.state, await runVerify(repository, {level: 'full'}));
	site.state.markOffline(id, 'ejected');
	await away(rdx);
	const verified = await check(site, 'offline-copy');
	t.true(verified.pass, verified.evidence);
	t.regex(verified.evidence, /last full verification \d{4}-\d{2}-\d{2} clean/);
});

test('offline copy: a cartridge that vanished counts only after the technician confirms it is stored away', async t => {
	const site = await makeSite(t);
	const rdx = path.join(site.work, 'rdx-c');
	const repository = await medium(site, rdx, 'RDX-C', {removable: true});
	recordVerification(site.state, await runVerify(repository, {level: 'full'}));
	// Still connected: storing it away is refused, with what to do instead.
	const connected = await confirmStoredAway(site.context, {target: 'RDX-C'});
	t.regex(connected.failure?.message ?? '', /"RDX-C" is still connected .*eject it safely with `sedai eject RDX-C`/);

	await away(rdx);
	site.state.markOffline(repository.id, 'disappeared', new Date(Date.now() - dayMs));
	const missing = await check(site, 'offline-copy');
	t.false(missing.pass);
	t.regex(missing.evidence, /"RDX-C": missing since .*not ejected by Sedai: once it is on the shelf, confirm it \(sedai eject RDX-C --stored-away/);
	const end = await confirmStoredAway(site.context, {target: 'RDX-C'});
	t.is(end.failure, undefined);
	t.is(end.result?.reason, 'stored');
	// Offline since it was first missed, not since the confirmation.
	t.is(end.result?.offlineSince, site.state.cartridge(repository.id)?.offlineSince);
	t.true(Date.now() - Date.parse(end.result!.offlineSince) >= dayMs);
	const stored = await check(site, 'offline-copy');
	t.true(stored.pass, stored.evidence);
	t.regex(stored.evidence, /stored away \(confirmed by the technician\)/);
});

test('a folder cannot be confirmed as stored away', async t => {
	const {site, nas} = await folderSite(t);
	await away(nas);
	const end = await confirmStoredAway(site.context, {target: 'NAS'});
	t.regex(end.failure?.message ?? '', /"NAS" is a folder repository, not a cartridge: a folder or share cannot be stored away/);
});

test('init on a plain folder records a folder, not a removable cartridge', async t => {
	const site = await makeSite(t);
	await medium(site, path.join(site.work, 'backups'), 'LOCAL', {generations: 0});
	const record = site.state.findByLabel('LOCAL')!;
	t.false(record.removable);
	// So a plaintext-or-not folder is not judged as a cartridge by the encryption check either.
	const encrypted = await check(site, 'encrypted');
	t.notRegex(encrypted.evidence, /"LOCAL"/);
	await medium(site, path.join(site.work, 'rdx'), 'RDX', {removable: true, generations: 0});
	t.true(site.state.findByLabel('RDX')!.removable);
});

test('write protection: a read-only file mode is not protection; lsattr-verified immutability, the write-protect switch and a stored-away cartridge are', async t => {
	requireLoopSupport();
	const cartridge = await createLoopCartridge({fsType: 'ext4', label: 'WP-TEST'});
	t.teardown(async () => cartridge.cleanup());
	const site = await makeSite(t);
	const root = path.join(cartridge.mountpoint, 'sedai');
	const repository = await medium(site, root, 'RDX-WP', {removable: true, generations: 4});
	const files = await sealedFiles(layoutOf(root));
	for (const file of files) {
		await fs.chmod(file, 0o444);
	}

	const readOnly = await check(site, 'write-protected');
	t.false(readOnly.pass, readOnly.evidence);
	t.regex(readOnly.evidence, /"RDX-WP": 2 generation\(s\) from the 3rd newest on: 2 read-only/);

	// Immutable, and lsattr says so.
	const {outcome} = await protectRepository(root);
	t.is(outcome.protection, 'immutable');
	const immutable = await check(site, 'write-protected');
	t.true(immutable.pass, immutable.evidence);
	t.regex(immutable.evidence, /2 immutable/);

	// Ransomware as root lifts the flag on one pack: the state still says immutable, lsattr does not.
	const pack = files.find(file => file.includes(`${path.sep}data${path.sep}`))!;
	await execa('chattr', ['-i', pack]);
	t.is(site.state.cartridge(repository.id)?.generations.length, 4);
	const lifted = await check(site, 'write-protected');
	t.false(lifted.pass, lifted.evidence);

	// The write-protect switch protects everything on the medium.
	await cartridge.setWriteProtect(true);
	await cartridge.unmount();
	await cartridge.mount({readOnly: true});
	const locked = await check(site, 'write-protected');
	t.true(locked.pass, locked.evidence);
	t.regex(locked.evidence, /write-protect switch is on/);
	await cartridge.unmount();
	await cartridge.setWriteProtect(false);

	// Unmounted without an eject: unreachable, so nothing is confirmed.
	const unreachable = await check(site, 'write-protected');
	t.false(unreachable.pass);
	t.regex(unreachable.evidence, /"RDX-WP": not reachable now and not ejected by Sedai/);
	// Ejected (stored away): out of reach, protected.
	site.state.markOffline(repository.id, 'ejected');
	t.true((await check(site, 'write-protected')).pass);
});

test('verified: full verifications recorded on the medium count, also after it is ejected', async t => {
	const site = await makeSite(t);
	const rdx = path.join(site.work, 'rdx-v');
	const repository = await medium(site, rdx, 'RDX-V', {removable: true});
	t.false((await check(site, 'verified')).pass);
	// Verified on another machine: only the medium holds the record.
	const result = await runVerify(repository, {level: 'full'});
	t.true(result.ok);
	t.deepEqual(site.state.verifications(), []);
	const fromMedium = await check(site, 'verified');
	t.true(fromMedium.pass, fromMedium.evidence);
	t.regex(fromMedium.evidence, /"RDX-V": full verification \d{4}-\d{2}-\d{2} \(today\), 0 errors/);
	site.state.markOffline(repository.id, 'ejected');
	await away(rdx);
	t.true((await check(site, 'verified')).pass, 'the evidence travelled with the cartridge into local state');
	// A structure check is no full verification.
	t.is(site.state.verifications().filter(record => record.level === 'full').length, 1);
});

test('verified: a hand-written "all clean" record on the medium is not believed, and a rolling slice counts only when its cycle is complete', async t => {
	const site = await makeSite(t);
	const rdx = path.join(site.work, 'rdx-f');
	const repository = await medium(site, rdx, 'RDX-F', {removable: true});
	// What an attacker (or a careless script) could write: the old, unsealed record shape.
	const forged = {level: 'full', ok: true, time: new Date().toISOString(), repositoryId: repository.id, label: 'RDX-F', problems: [], durationMs: 1, bytesRead: 1};
	await fs.mkdir(path.join(rdx, 'verifications'), {recursive: true});
	await fs.writeFile(path.join(rdx, 'verifications', 'forged-full.json'), JSON.stringify(forged));
	t.false((await check(site, 'verified')).pass, 'an unsealed record proves nothing');

	const first = await runVerify(repository, {level: 'full', slice: {fraction: 0.01}});
	t.false(first.slice!.cycleComplete, 'the medium holds more than one pack');
	t.false((await check(site, 'verified')).pass, 'one slice is not a full verification');
	let last = first;
	for (let run = 0; run < 20 && !last.slice!.cycleComplete; run++) {
		last = await runVerify(repository, {level: 'full', slice: {fraction: 0.01}});
	}

	t.true(last.slice!.cycleComplete);
	const done = await check(site, 'verified');
	t.true(done.pass, done.evidence);
	t.regex(done.evidence, /"RDX-F": full verification \d{4}-\d{2}-\d{2}/);
});

test('restore drill: the latest drill on the medium failed, so the check fails although an older local one passed; undrilled media are named', async t => {
	const site = await makeSite(t);
	const now = new Date();
	const rdx = path.join(site.work, 'rdx-d');
	// Encrypted: its sealed reports are read with the passphrase the site gives (never asked for).
	const repository = await medium(site, rdx, 'RDX-D', {removable: true, encrypted: true});
	const other = await medium(site, path.join(site.work, 'nas-d'), 'NAS-D', {removable: false});
	const {generations} = await repository.listGenerations();
	const generation = generations.at(-1)!;
	const passedAt = new Date(now.getTime() - (10 * dayMs));
	site.state.recordDrill({repositoryId: repository.id, label: 'RDX-D', generation: generation.id, generationTime: generation.time, time: passedAt.toISOString(), ok: true, files: 3, bytes: 30, restoreMs: 1000, verifyMs: 500, into: '/var/tmp/x', mismatches: 0});
	t.true((await check(site, 'restore-drill', now)).pass);

	// A drill on another machine failed yesterday; its sealed report is on the cartridge.
	const failedAt = new Date(now.getTime() - dayMs);
	await writeRecord(repository, 'drills', `${failedAt.toISOString().replaceAll(':', '-')}-RDX-D.json`, drillReport(repository, generation, failedAt, false));
	const failed = await check(site, 'restore-drill', now);
	t.false(failed.pass, failed.evidence);
	t.regex(failed.evidence, /Latest drill \d{4}-\d{2}-\d{2} \(1 day\(s\) ago, "RDX-D"\): FAILED \(1 mismatch/);
	t.regex(failed.action, /The latest drill \(\d{4}-\d{2}-\d{2}, "RDX-D"\) FAILED/);
	t.regex(failed.evidence, new RegExp(`No successful drill in the last 90 days from "${other.label}"`));

	// The cartridge goes to the shelf: its failed drill still counts here.
	site.state.markOffline(repository.id, 'ejected');
	await away(rdx);
	t.false((await check(site, 'restore-drill', now)).pass);

	// A newer passing drill (sealed on the NAS) makes it pass; the 90-day window is the caller's clock.
	const passedAgain = new Date(now.getTime() - 3_600_000);
	const nasGeneration = (await other.listGenerations()).generations.at(-1)!;
	await writeRecord(other, 'drills', 'again.json', drillReport(other, nasGeneration, passedAgain, true));
	const again = await check(site, 'restore-drill', now);
	t.true(again.pass, again.evidence);
	t.notRegex(again.evidence, /No successful drill/, 'each medium has a passing drill within 90 days');
	const later = await check(site, 'restore-drill', new Date(now.getTime() + (91 * dayMs)));
	t.false(later.pass);
	t.regex(later.evidence, /No successful drill in the last 90 days from "NAS-D", "RDX-D"/);
});

test('an edited drill report on the medium is not believed', async t => {
	const site = await makeSite(t);
	const now = new Date();
	const rdx = path.join(site.work, 'rdx-e');
	const repository = await medium(site, rdx, 'RDX-E', {removable: true});
	const generation = (await repository.listGenerations()).generations.at(-1)!;
	const file = await writeRecord(repository, 'drills', 'forged.json', drillReport(repository, generation, new Date(now.getTime() - dayMs), true));
	await fs.chmod(file, 0o644);
	const sealed = await fs.readFile(file);
	sealed[sealed.length - 1] ^= 1;
	await fs.writeFile(file, sealed);
	const drill = await check(site, 'restore-drill', now);
	t.false(drill.pass, drill.evidence);
	t.regex(drill.evidence, /No restore drill recorded/);
});

test('rotation: a cartridge seen on a drive whose SMART says FAILING is to be replaced, not stored away', async t => {
	const site = await makeSite(t);
	site.settings.update({targets: [{name: 'RDX-A', kind: 'cartridge', label: 'RDX-A'}, {name: 'RDX-B', kind: 'cartridge', label: 'RDX-B'}], rotation: ['RDX-A', 'RDX-B']});
	const rdxA = path.join(site.work, 'rdx-a');
	const repository = await medium(site, rdxA, 'RDX-A', {removable: true, generations: 1});
	const healthy = await assessCompliance(site.context, {now: new Date()});
	t.regex(healthy.rotation.advice.map(line => renderMessage(line, 'en')).join(' '), /Eject RDX-A and store it offline/);
	// The drive poll sees RDX-A on a drive whose SMART verdict is FAILING.
	const smart = {available: true, verdict: 'failing' as const, passed: false, reasons: ['reallocated sectors growing']};
	const filesystem = {device: '/dev/sdz1', readOnly: false, mountpoint: site.work, repositories: [{path: rdxA, id: repository.id, label: 'RDX-A', encrypted: false, generations: 1}]};
	await rememberReport(site.state, {drives: [{name: 'sdz', path: '/dev/sdz', size: 1e12, removable: true, writeProtected: false, filesystems: [filesystem], smart}], notes: []});
	t.is(site.state.cartridge(repository.id)?.lastSmart?.verdict, 'failing');
	const report = await assessCompliance(site.context, {now: new Date()});
	const advice = report.rotation.advice.map(line => renderMessage(line, 'en')).join(' ');
	t.deepEqual(report.rotation.replace, ['RDX-A']);
	t.regex(advice, /Replace RDX-A: its drive reports SMART FAILING/);
	t.notRegex(advice, /Eject RDX-A and store it offline/);
});
