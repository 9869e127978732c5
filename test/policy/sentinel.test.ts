import fs from 'node:fs';
import path from 'node:path';
import {createCipheriv, randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import {execa} from 'execa';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {reasonCode, sentinelFor} from '../../source/core/policy/sentinel.js';
import {sampleEntropy} from '../../source/core/policy/entropy.js';
import {looksRandomExtension, ransomNoteName} from '../../source/core/policy/file-kinds.js';
import {selectRetention} from '../../source/core/policy/retention.js';
import type {SentinelVerdict} from '../../source/core/repository/manifest.js';
import {createSampleClinic, random, simulateDay} from '../../source/demo/sample-clinic.js';
import {defaultSettings} from '../../source/settings/schema.js';
import {sedai} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/trees.js';
import {removeProtected} from './helpers/cleanup.js';

process.env['SEDAI_HOME'] = temporaryDirectory('sedai-home-');

const sentinel = sentinelFor(defaultSettings().sentinel);

function filesBelow(root: string): string[] {
	const files: string[] = [];
	const visit = (directory: string) => {
		for (const entry of fs.readdirSync(directory, {withFileTypes: true})) {
			const full = path.join(directory, entry.name);
			if (entry.isDirectory()) {
				visit(full);
			} else {
				files.push(full);
			}
		}
	};

	visit(root);
	return files.sort();
}

/** What ransomware does: AES with a key the clinic never sees, over a share of the files. */
function encrypt(file: string, key: Buffer): Buffer {
	const iv = randomBytes(16);
	const cipher = createCipheriv('aes-256-cbc', key, iv);
	return Buffer.concat([iv, cipher.update(fs.readFileSync(file)), cipher.final()]);
}

function codes(verdict: SentinelVerdict | undefined): string[] {
	return (verdict?.reasons ?? []).map(reason => reasonCode(reason) ?? reason).sort();
}

async function clinicWithGeneration(t: ExecutionContext): Promise<{work: string; clinic: string; repository: Repository}> {
	const work = temporaryDirectory();
	t.teardown(() => {
		fs.rmSync(work, {recursive: true, force: true});
	});
	const clinic = path.join(work, 'clinic');
	await createSampleClinic(clinic);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-A', passphrase: 'correct horse battery'});
	const first = await runBackup(repository, {sources: [clinic], sentinel, workers: 1});
	t.false(first.generation.sentinel?.suspect, JSON.stringify(first.generation.sentinel));
	return {work, clinic, repository};
}

test('30% of a clinic encrypted with AES and renamed: sealed, but suspect, with the reasons', async t => {
	const {clinic, repository} = await clinicWithGeneration(t);
	const files = filesBelow(clinic);
	const next = random(20_260_205);
	const key = randomBytes(32);
	const victims = files.filter(() => next() < 0.3);
	t.true(victims.length >= files.length * 0.25 && victims.length <= files.length * 0.35, `${victims.length} of ${files.length}`);
	for (const file of victims) {
		fs.writeFileSync(`${file}.locked`, encrypt(file, key));
		fs.rmSync(file);
	}

	const attacked = await runBackup(repository, {sources: [clinic], sentinel, workers: 1});
	const verdict = attacked.generation.sentinel;
	t.true(verdict?.suspect);
	t.deepEqual(codes(verdict), ['entropy', 'new-extension', 'renamed']);
	t.is(verdict!.measures['renamed'], victims.length);
	t.is(verdict!.measures['newExtensionFiles'], victims.length);
	t.true(verdict!.measures['highEntropySampled'] >= victims.length * 0.9);
	t.regex(verdict!.reasons.join(' '), /\.locked/);

	// The verdict is sealed in the generation, and retention holds the clean one before it.
	const {generations} = await repository.listGenerations();
	t.true(generations.at(-1)!.sentinel?.suspect);
	t.false(generations[0].sentinel?.suspect);
	const plan = selectRetention(generations.map(generation => ({...generation, suspect: generation.sentinel?.suspect})), {keepLast: 3, daily: 0, weekly: 0, monthly: 0, yearly: 0});
	t.deepEqual(plan.decisions.find(decision => decision.generation.id === generations[0].id)!.reasons.map(reason => reason.rule).sort(), ['clean-before-suspect', 'guideline-minimum', 'last', 'newest-clean']);
});

test('encryption in place (no rename) with ransom notes in every folder: suspect for content and notes', async t => {
	const {clinic, repository} = await clinicWithGeneration(t);
	const key = randomBytes(32);
	const documents = filesBelow(path.join(clinic, 'docs'));
	for (const file of documents.filter((_, i) => i % 2 === 0)) {
		fs.writeFileSync(file, encrypt(file, key));
	}

	for (const folder of fs.readdirSync(path.join(clinic, 'docs'))) {
		fs.writeFileSync(path.join(clinic, 'docs', folder, '!!!READ_ME_TO_DECRYPT!!!.txt'), 'Your files are encrypted. Pay 2 BTC to restore files.\n');
	}

	const {generation} = await runBackup(repository, {sources: [clinic], sentinel, workers: 1});
	t.true(generation.sentinel?.suspect);
	t.deepEqual(codes(generation.sentinel), ['changed', 'entropy', 'ransom-note']);
	t.is(generation.sentinel!.measures['ransomNotes'], 40);
});

test('ordinary clinic days (sample clinic) are not flagged', async t => {
	const {clinic, repository} = await clinicWithGeneration(t);
	for (let day = 1; day <= 3; day++) {
		await simulateDay(clinic, day);
		const {generation} = await runBackup(repository, {sources: [clinic], sentinel, workers: 1});
		t.false(generation.sentinel?.suspect, `${JSON.stringify(generation.sentinel)}`);
		t.true(generation.sentinel!.measures['modified'] > 0, 'the day changed files');
	}
});

// Issue 13: the sentinel reads only the parent's folders whose tree changed; what it finds must
// be what comparing both whole generations finds.
test('an incremental judged from the changed folders only measures what comparing both whole generations measures', async t => {
	const {work, clinic, repository} = await clinicWithGeneration(t);
	const archive = path.join(clinic, 'archive-2019');
	fs.mkdirSync(archive);
	for (let i = 0; i < 40; i++) {
		fs.writeFileSync(path.join(archive, `scan-${i}.txt`), `archived scan ${i}\n`.repeat(50));
	}

	const parent = await runBackup(repository, {sources: [clinic], sentinel, workers: 1});
	await simulateDay(clinic, 1);
	const moved = filesBelow(clinic).find(file => !file.startsWith(archive) && file.endsWith('.txt'))!;
	fs.renameSync(moved, path.join(clinic, 'moved-here.txt'));
	const fresh = path.join(clinic, 'arrivals');
	fs.mkdirSync(fresh);
	for (let i = 0; i < 12; i++) {
		fs.writeFileSync(path.join(fresh, `note-${i}.zzq`), `new note ${i}\n`);
	}

	const {generation} = await runBackup(repository, {sources: [clinic], sentinel, workers: 1});
	const measured = generation.sentinel!.measures;
	const whole = await sentinel({
		previous: (await repository.readGeneration(parent.generation.id)).entries,
		current: (await repository.readGeneration(generation.id)).entries,
		absoluteOf: entryPath => path.join(work, entryPath),
		readFile: async entryPath => fs.promises.readFile(path.join(work, entryPath)).catch(() => undefined),
	});
	const structural = ['currentFiles', 'previousFiles', 'added', 'modified', 'deleted', 'renamed', 'newExtensionFiles', 'randomExtensionFiles', 'ransomNotes'];
	const pick = (measures: Record<string, number>) => Object.fromEntries(structural.map(key => [key, measures[key]]));
	t.deepEqual(pick(measured), pick(whole.measures));
	t.true(measured['renamed'] >= 1 && measured['added'] >= 12, JSON.stringify(measured));
	t.is(measured['currentFiles'], filesBelow(clinic).length);
	t.deepEqual(codes(generation.sentinel), codes(whole));
});

test('the benchmark\'s daily mutation (make-dataset.sh mutate) is not flagged', async t => {
	const script = process.env['SEDAI_DATASET_SCRIPT'] ?? fileURLToPath(new URL('../../../shared/bench/make-dataset.sh', import.meta.url));
	t.true(fs.existsSync(script), `the dataset script is needed at ${script} (or set SEDAI_DATASET_SCRIPT)`);
	const work = temporaryDirectory();
	t.teardown(() => {
		fs.rmSync(work, {recursive: true, force: true});
	});
	const data = path.join(work, 'data');
	const environment = {DATA: data, SCALE: '0.02'};
	await execa('bash', [script], {env: environment});
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'NAS'});
	const first = await runBackup(repository, {sources: [data], sentinel, workers: 1});
	t.false(first.generation.sentinel?.suspect, `${JSON.stringify(first.generation.sentinel)}`);
	for (let day = 0; day < 2; day++) {
		await execa('bash', [script, 'mutate'], {env: environment});
		const {generation} = await runBackup(repository, {sources: [data], sentinel, workers: 1});
		t.false(generation.sentinel?.suspect, `${JSON.stringify(generation.sentinel)}`);
		t.true(generation.sentinel!.measures['added'] > 0 && generation.sentinel!.measures['deleted'] > 0);
	}
});

test('sedai backup says so loudly: a suspect warning and the reasons in --json', async t => {
	const work = temporaryDirectory();
	t.teardown(async () => removeProtected(work));
	const home = path.join(work, 'home');
	const clinic = path.join(work, 'clinic');
	await createSampleClinic(clinic, {patients: 30});
	const repo = path.join(work, 'repo');
	await sedai(['init', repo], {home});
	const calm = await sedai(['backup', clinic, '--repo', repo, '--json'], {home});
	t.is(calm.exitCode, 0, `${calm.stderr}`);
	t.false(calm.summary?.['suspect']);
	t.false(calm.lines.some(line => line['code'] === 'suspect'));
	const key = randomBytes(32);
	for (const file of filesBelow(path.join(clinic, 'docs')).slice(0, 90)) {
		fs.writeFileSync(`${file}.crypt`, encrypt(file, key));
		fs.rmSync(file);
	}

	const attacked = await sedai(['backup', clinic, '--repo', repo, '--json'], {home});
	t.is(attacked.exitCode, 0, 'the generation is still sealed');
	t.true(attacked.summary?.['suspect']);
	t.true((attacked.summary?.['suspectReasons'] as string[]).some(reason => reason.startsWith('renamed:')));
	const warning = attacked.lines.find(line => line['code'] === 'suspect');
	t.regex(String(warning?.['message']), /^SUSPECT: generation [\da-f]{8} \(#2\)/);
	const human = await sedai(['generations', '--repo', repo], {home});
	t.regex(human.stdout, /SUSPECT/);
});

test('names and extensions ransomware leaves, and entropy of text versus ciphertext', t => {
	for (const name of ['README_DECRYPT.txt', 'HOW_TO_RECOVER_FILES.html', '!!!READ_ME!!!.txt', '_readme.txt', 'restore-my-files.txt', '#DECRYPT_MY_FILES#.html', 'ファイルの復号方法.txt', 'YOUR_FILES_ARE_ENCRYPTED.TXT', 'how to get back your files.hta']) {
		t.true(ransomNoteName(name), `${name}`);
	}

	for (const name of ['readme.txt', 'README.md', '診療記録_0000101.txt', 'notes_day12.txt', 'decrypt-tool.exe', 'restore.log', 'scan_00001.jpg', 'backup-plan.txt']) {
		t.false(ransomNoteName(name), `${name}`);
	}

	t.true(looksRandomExtension('a9f3k2'));
	t.true(looksRandomExtension('qwxzt'));
	t.false(looksRandomExtension('txt'));
	t.false(looksRandomExtension('docx'));
	t.false(looksRandomExtension('backup'));
	t.false(looksRandomExtension('mp4'));

	const cipher = sampleEntropy(randomBytes(4096));
	t.true(cipher > 7.9, `${cipher}`);
	t.true(sampleEntropy(randomBytes(600)) > 7.8, 'short samples are corrected for their bias');
	const japanese = Buffer.from('患者ID: 12\n主訴、発熱、咳嗽。経過観察、再診。patient presents with mild fever.\n'.repeat(60)).subarray(0, 4096);
	t.true(sampleEntropy(japanese) < 6, `${sampleEntropy(japanese)}`);
});

test('the entropy of a sample is the textbook Shannon entropy (with its correction) for every length, whatever its remainder by four', t => {
	const reference = (bytes: Uint8Array) => {
		const counts = new Map<number, number>();
		for (const byte of bytes) {
			counts.set(byte, (counts.get(byte) ?? 0) + 1);
		}

		let bits = 0;
		for (const count of counts.values()) {
			bits -= (count / bytes.length) * Math.log2(count / bytes.length);
		}

		return Math.min(8, bits + ((counts.size - 1) / (2 * bytes.length * Math.LN2)));
	};

	const text = Buffer.from('患者ID: 12 主訴、発熱。aaaab\n'.repeat(40));
	for (const length of [1, 2, 3, 4, 5, 6, 7, 9, 255, 256, 257, 1023, 4096]) {
		for (const sample of [randomBytes(length), text.subarray(0, length), Buffer.alloc(length, 7)]) {
			t.true(Math.abs(sampleEntropy(sample) - reference(sample)) < 1e-9, `length ${length}`);
		}
	}

	t.is(sampleEntropy(Buffer.alloc(4096, 7)), 0, 'one repeated byte has no entropy, also on the next call (the counts start from zero)');
});

test('the first generation has nothing to compare with: only notes and near-random text count', async t => {
	const verdict = await sentinel({
		previous: undefined,
		current: [{path: 'clinic/a.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n, size: 10, chunks: Buffer.alloc(32)}, {path: 'clinic/HOW_TO_DECRYPT.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n, size: 10, chunks: Buffer.alloc(32, 1)}],
		absoluteOf: () => undefined,
		readFile: async () => Buffer.from('x'),
	});
	t.deepEqual(codes(verdict), ['ransom-note']);
	t.is(verdict.measures['currentFiles'], 2);
});
