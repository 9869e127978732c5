import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {chunkId} from '../../source/core/repository/manifest.js';
import {fromText} from '../../source/core/byte-path.js';
import {sedai} from '../helpers/cli.js';
import {flipStoredByte} from '../helpers/damage.js';
import {makeMutable, removeTree, temporaryDirectory} from '../helpers/trees.js';

test('flipped bytes in stored data: verify --full exits 3 and names the damaged file and generations', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(path.join(source, 'scans'), {recursive: true});
	fs.writeFileSync(path.join(source, 'scans', 'victim.jpg'), randomBytes(300_000));
	fs.writeFileSync(path.join(source, 'healthy.txt'), 'fine\n');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	fs.writeFileSync(path.join(source, 'new.txt'), 'day two\n');
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);

	const structure = await sedai(['verify', '--repo', repo, '--full', '--json'], {home});
	t.is(structure.exitCode, 0, 'clean before the damage');

	// Find where the victim's content lives, and flip one byte in the middle of it.
	const repository = await Repository.open(repo, 'correct horse battery');
	const generation = await repository.resolveGeneration('latest');
	const {entries} = await repository.readGeneration(generation.id);
	const victim = entries.find(entry => entry.path === fromText('clinic/scans/victim.jpg'))!;
	const {index} = await repository.loadIndex();
	const location = index.get(chunkId(victim, 0))!;
	flipStoredByte(repository, location);

	const full = await sedai(['verify', '--repo', repo, '--full', '--json'], {home});
	t.is(full.exitCode, 3);
	const damaged = full.lines.filter(line => line['type'] === 'damaged');
	t.is(damaged.length, 2, 'both generations hold the victim');
	for (const item of damaged) {
		t.deepEqual(item['files'], ['clinic/scans/victim.jpg']);
	}

	t.false(full.summary?.['ok']);
	const human = await sedai(['verify', '--repo', repo, '--full'], {home});
	t.is(human.exitCode, 3);
	t.regex(human.stdout, /clinic\/scans\/victim\.jpg/);
	t.notRegex(human.stdout, /healthy\.txt/);

	// A structure check cannot see flipped bits inside a pack, but restore does.
	const restore = await sedai(['restore', 'latest', '--repo', repo, '--into', path.join(work, 'out'), '--json'], {home});
	t.is(restore.exitCode, 3);
	t.deepEqual(restore.lines.filter(line => line['type'] === 'mismatch').map(line => line['path']), ['clinic/scans/victim.jpg']);
	t.is(fs.readFileSync(path.join(work, 'out', 'clinic', 'healthy.txt'), 'utf8'), 'fine\n');
});

test('a deleted pack is damage too, found by the structure check', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'src');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'a.bin'), randomBytes(50_000));
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	await sedai(['backup', source, '--repo', repo], {home});
	const data = path.join(repo, 'data');
	const prefix = fs.readdirSync(data).find(name => /^[\da-f]{2}$/.test(name))!;
	const pack = path.join(data, prefix, fs.readdirSync(path.join(data, prefix))[0]);
	makeMutable(pack);
	fs.rmSync(pack);
	const result = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.is(result.exitCode, 3);
	t.true(result.lines.some(line => line['type'] === 'problem' && String(line['message']).includes('missing')));
});

test('a wrong passphrase is one clear sentence and exit 1, never a stack trace', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--label', 'RDX-A'], {home});
	const wrong = await sedai(['generations', '--repo', repo], {home, passphrase: 'not it'});
	t.is(wrong.exitCode, 1);
	t.regex(wrong.stderr, /^sedai: Wrong passphrase for the repository "RDX-A"/);
	t.notRegex(wrong.stderr, /at .*\.js:\d+/);
	const json = await sedai(['generations', '--repo', repo, '--json'], {home, passphrase: 'not it'});
	t.is(json.lines[0]?.['type'], 'error');
	t.is(json.lines[0]?.['code'], 'wrong-passphrase');
	t.false(json.summary?.['ok']);

	const none = await sedai(['generations', '--repo', repo], {home, passphrase: ''});
	t.is(none.exitCode, 1);
	t.regex(none.stderr, /is encrypted: give its passphrase with --passphrase-file FILE or SEDAI_PASSPHRASE/);

	const notRepo = await sedai(['generations', '--repo', work], {home});
	t.is(notRepo.exitCode, 1);
	t.regex(notRepo.stderr, /No Sedai repository at/);

	const usage = await sedai(['restore', '--repo', repo], {home});
	t.is(usage.exitCode, 2);

	// A mistyped option in --json is a usage error with the way to the help, not "report it".
	const mistyped = await sedai(['restore', 'latest', '--repo', repo, '--target', work, '--json'], {home});
	t.is(mistyped.exitCode, 2);
	t.is(mistyped.lines[0]?.['code'], 'usage');
	t.regex(String(mistyped.lines[0]?.['message']), /^unknown option '--target' \(run `sedai help`/);
});
