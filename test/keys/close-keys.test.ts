import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {contextOf} from '../../source/core/repository/crypto.js';
import {MediumOpener} from '../../source/app/operations/open.js';
import {Passphrases} from '../../source/app/operations/passphrase.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** Keys do not outlive the repository: closed means zeroed, and a zeroed key never seals anything. */
const passphrase = 'correct horse battery staple';

async function encrypted(t: {teardown: (fn: () => void) => void}): Promise<string> {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const root = path.join(work, 'repo');
	await Repository.init(root, {label: 'KEYS', passphrase});
	return root;
}

const allZero = (buffer: Uint8Array) => buffer.every(byte => byte === 0);

test('closing a repository zeroes its master key, chunker seed and gear table; using it afterwards is one clear error', async t => {
	const root = await encrypted(t);
	const repository = await Repository.open(root, passphrase);
	const {masterKey, chunkerSeed, gear, sealer} = repository;
	t.false(allZero(masterKey!));
	repository.close();
	t.true(allZero(masterKey!));
	t.true(allZero(chunkerSeed));
	t.true(allZero(new Uint8Array(gear.buffer)));
	t.throws(() => repository.masterKey, {message: /closed and its keys erased/});
	t.throws(() => sealer.seal(Buffer.from('x'), contextOf('index', 'x')), {message: /closed and its keys erased/});
});

test('a repository closed while a job holds its lock keeps its keys until the lock is released', async t => {
	const root = await encrypted(t);
	const repository = await Repository.open(root, passphrase);
	const key = repository.masterKey!;
	const lock = await repository.lock('read', 'verify', () => undefined);
	repository.close();
	t.false(allZero(key), 'the running job still seals and opens with the real key');
	t.truthy(repository.sealer.seal(Buffer.from('still fine'), contextOf('index', 'a')));
	await lock.release();
	t.true(allZero(key));
});

test('"Forget passphrases" closes every open repository: their keys are zeroed and the next open asks again', async t => {
	const root = await encrypted(t);
	let asked = 0;
	const passphrases = new Passphrases({environment: {}, async prompt() {
		asked++;
		return {passphrase};
	}});
	const media = new MediumOpener(passphrases);
	const repository = await media.openAt(root);
	const key = repository.masterKey!;
	t.is(await media.openAt(root), repository, 'kept open for the session');
	t.is(asked, 1);

	// What the TUI's Settings → "Forget passphrases" does.
	passphrases.forget();
	media.close();
	t.true(allZero(key));
	t.true(repository.closed);
	const again = await media.openAt(root);
	t.not(again, repository);
	t.is(asked, 2, 'asked again: nothing of the old keys was kept');
});
