import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {sedai} from '../helpers/cli.js';
import {makeMutable, removeTree, temporaryDirectory} from '../helpers/trees.js';

const passphrase = 'config seal passphrase';

function edit(file: string, change: (config: Record<string, unknown>) => void): void {
	makeMutable(file);
	const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
	change(config);
	fs.writeFileSync(file, JSON.stringify(config, undefined, 2) + '\n');
}

test('an encrypted repository file whose label, chunker or seal was changed is refused with one sentence; key changes keep it valid', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const root = path.join(work, 'repo');
	const home = path.join(work, 'home');
	const passphraseFile = path.join(work, 'passphrase');
	fs.writeFileSync(passphraseFile, passphrase, {mode: 0o600});
	const secondFile = path.join(work, 'second');
	fs.writeFileSync(secondFile, 'the site manager\'s own passphrase', {mode: 0o600});
	(await Repository.init(root, {label: 'RDX-A', passphrase})).close();
	const file = path.join(root, 'sedai-repository.json');
	const original = fs.readFileSync(file, 'utf8');
	t.regex(String((JSON.parse(original) as {seal?: string}).seal), /^[\da-f]{64}$/);

	// A second passphrase rewrites the key slots: the seal does not cover them, the file still opens.
	const added = await sedai(['key', 'add', '--repo', root, '--passphrase-file', passphraseFile, '--new-passphrase-file', secondFile], {home});
	t.is(added.exitCode, 0, added.stdout + added.stderr);
	(await Repository.open(root, passphrase)).close();
	const withTwoSlots = fs.readFileSync(file, 'utf8');

	const tamperings: Array<[string, (config: Record<string, unknown>) => void]> = [
		['label', config => {
			config['label'] = 'RDX-B';
		}],
		['chunker', config => {
			config['chunker'] = {...config['chunker'] as object, max: 512 * 1024};
		}],
		['seal removed', config => {
			delete config['seal'];
		}],
	];
	for (const [what, change] of tamperings) {
		edit(file, change);
		const error = await t.throwsAsync(Repository.open(root, passphrase), undefined, what);
		t.regex(error?.message ?? '', /sedai-repository\.json was changed outside Sedai .* so this repository is refused/, what);
		const cli = await sedai(['generations', '--repo', root, '--passphrase-file', passphraseFile], {home});
		t.is(cli.exitCode, 1, what);
		t.regex(cli.stderr, /was changed outside Sedai/, what);
		t.notRegex(cli.stderr, /\n\s+at /, `${what}: no stack trace`);
		fs.writeFileSync(file, withTwoSlots);
	}
});

test('chunker settings out of bounds are refused before use, also in a plaintext repository (no key to seal with)', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const root = path.join(work, 'repo');
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'scan.bin'), Buffer.alloc(3 * 1024 * 1024, 7));
	t.is((await sedai(['init', root, '--plaintext'], {home})).exitCode, 0);
	const file = path.join(root, 'sedai-repository.json');
	const original = fs.readFileSync(file, 'utf8');
	for (const chunker of [{min: 0, avg: 0, max: 0}, {min: 16_384, avg: 65_536, max: 1024 * 1024 * 1024}, {min: 16_384, avg: 65_536, max: '262144'}]) {
		edit(file, config => {
			config['chunker'] = chunker;
		});
		const backup = await sedai(['backup', source, '--repo', root], {home});
		t.is(backup.exitCode, 1, JSON.stringify(chunker));
		t.regex(backup.stderr, /has chunker settings out of bounds .* so this repository is refused/, JSON.stringify(chunker));
		fs.writeFileSync(file, original);
	}

	t.is((await sedai(['backup', source, '--repo', root], {home})).exitCode, 0, 'the original file works');
});
