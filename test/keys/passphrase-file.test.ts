import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

function setup(t: {teardown: (fn: () => void) => void}) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	return {work, home: path.join(work, 'home'), repo: path.join(work, 'repo')};
}

for (const [name, text] of [['empty', ''], ['short', 'seven77\n']] as const) {
	test(`a passphrase file that is ${name} makes no repository`, async t => {
		const {work, home, repo} = setup(t);
		const file = path.join(work, 'pass');
		fs.writeFileSync(file, text, {mode: 0o600});
		const result = await sedai(['init', repo, '--passphrase-file', file], {home, env: {SEDAI_PASSPHRASE: undefined}});
		t.is(result.exitCode, 2);
		t.regex(result.stderr, /is too short .*at least 8/);
		t.notRegex(result.stderr, /\n\s+at /, 'one sentence, no stack trace');
		t.false(fs.existsSync(path.join(repo, 'sedai-repository.json')));
	});
}

test('a passphrase file that group or others may read is refused with the chmod to run, for new and existing repositories', async t => {
	const {work, home, repo} = setup(t);
	const file = path.join(work, 'pass');
	fs.writeFileSync(file, 'correct horse battery\n', {mode: 0o600});
	fs.chmodSync(file, 0o644);
	const init = await sedai(['init', repo, '--passphrase-file', file], {home, env: {SEDAI_PASSPHRASE: undefined}});
	t.is(init.exitCode, 2);
	t.true(init.stderr.includes(`run \`chmod 600 ${file}\``), init.stderr);
	t.false(fs.existsSync(path.join(repo, 'sedai-repository.json')));

	t.is((await sedai(['init', repo], {home})).exitCode, 0);
	const open = await sedai(['generations', '--repo', repo, '--passphrase-file', file], {home});
	t.is(open.exitCode, 2);
	t.regex(open.stderr, /can be read by other users \(mode 0644\)/);

	fs.chmodSync(file, 0o600);
	t.is((await sedai(['generations', '--repo', repo, '--passphrase-file', file], {home})).exitCode, 0, 'the same file at 0600 works');
});

test('a new key slot\'s passphrase file meets the same minimum', async t => {
	const {work, home, repo} = setup(t);
	await sedai(['init', repo], {home});
	const file = path.join(work, 'new');
	fs.writeFileSync(file, 'short\n', {mode: 0o600});
	const added = await sedai(['key', 'add', '--repo', repo, '--new-passphrase-file', file], {home});
	t.is(added.exitCode, 2);
	t.regex(added.stderr, /too short/);
	const config = JSON.parse(fs.readFileSync(path.join(repo, 'sedai-repository.json'), 'utf8')) as {encryption: {keys: unknown[]}};
	t.is(config.encryption.keys.length, 1);
});
