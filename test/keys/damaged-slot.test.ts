import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** A crafted or damaged repository file: a true sentence, never "Wrong passphrase" or "Unexpected error". */
type Config = {encryption: {keys: Array<{kdf: {N: number}; sealed: string}>}};

async function encryptedRepository(t: {teardown: (fn: () => void) => void}): Promise<{home: string; repo: string; edit: (change: (config: Config) => void) => void}> {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--label', 'CLINIC'], {home});
	const file = path.join(repo, 'sedai-repository.json');
	const original = fs.readFileSync(file, 'utf8');
	return {home, repo, edit(change) {
		const config = JSON.parse(original) as Config;
		change(config);
		fs.chmodSync(file, 0o644);
		fs.writeFileSync(file, JSON.stringify(config));
	}};
}

test('a key slot with one flipped character is reported damaged, not as a wrong passphrase', async t => {
	const {home, repo, edit} = await encryptedRepository(t);
	edit(config => {
		const slot = config.encryption.keys[0];
		slot.sealed = `${slot.sealed.slice(0, 10)}${slot.sealed[10] === 'A' ? 'B' : 'A'}${slot.sealed.slice(11)}`;
	});
	const result = await sedai(['generations', '--repo', repo, '--json'], {home});
	t.is(result.exitCode, 1);
	const error = result.lines.find(line => line['type'] === 'error');
	t.is(error?.['code'], 'corrupt');
	t.regex(String(error?.['message']), /^Every key slot of the repository "CLINIC" at .* is damaged \(slot [\da-f]{8}: its contents no longer match their checksum\)/);
	t.notRegex(String(error?.['message']), /Wrong passphrase/);

	// The right passphrase on an intact file still opens, a wrong one is still called wrong.
	edit(() => undefined);
	t.is((await sedai(['generations', '--repo', repo], {home})).exitCode, 0);
	const wrong = await sedai(['generations', '--repo', repo], {home, passphrase: 'not the passphrase at all'});
	t.regex(wrong.stderr, /^sedai: Wrong passphrase for the repository "CLINIC"/m);
});

test('a crafted kdf.N=3 gives one true sentence, not "Unexpected error"', async t => {
	const {home, repo, edit} = await encryptedRepository(t);
	edit(config => {
		config.encryption.keys[0].kdf.N = 3;
	});
	const result = await sedai(['generations', '--repo', repo], {home});
	t.is(result.exitCode, 1);
	t.regex(result.stderr, /^sedai: Every key slot of the repository "CLINIC" at .* is damaged \(slot [\da-f]{8}: its scrypt parameters N=3, r=8, p=3 are out of bounds\)/m);
	t.notRegex(result.stderr, /Unexpected error|Wrong passphrase|at .*\.js:\d+/);
});
