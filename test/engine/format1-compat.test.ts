import fs from 'node:fs';
import path from 'node:path';
import {createHash} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * The fixture format1-repo was written by Sedai before format 2 (commit 6aa3187: `sedai init`, a
 * backup of clinic/, then a second one after notes/a.txt changed), passphrase below. Git keeps no
 * empty folders, so the copy gets them back as a cartridge would have them.
 */
const fixture = fileURLToPath(new URL('fixtures/format1-repo', import.meta.url));
const passphrase = 'fixture-passphrase';
const expected = {
	'clinic/dump.sql': 'ea34c262c38bf4706730f20e930f85e95aed95004411f7243b93c1ab4f671e15',
	'clinic/notes/a.txt': '721e6960d38aa5a735160a33aaf8fbc72e57b1ad9de6615a49bef0b9bb7e4d76',
	'clinic/notes/b.txt': '12486880d72398a64b1b79c7d6eef4df8c99f7fd1b05df884508c0045efc5d34',
};

function copyFixture(t: {teardown: (fn: () => void) => void}): {work: string; root: string} {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const root = path.join(work, 'repo');
	fs.cpSync(fixture, root, {recursive: true});
	for (const folder of ['data', 'index', 'generations', 'tombstones', 'locks', 'tmp', 'verifications']) {
		fs.mkdirSync(path.join(root, folder), {recursive: true});
	}

	return {work, root};
}

function sha(file: string): string {
	return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

test('a format-1 repository from the previous Sedai opens, lists, restores and verifies', async t => {
	const {work, root} = copyFixture(t);
	const repository = await Repository.open(root, passphrase);
	t.is(repository.config.version, 1);
	t.is(repository.writeFormat, 1);
	const {generations} = await repository.listGenerations();
	t.deepEqual(generations.map(generation => generation.format), [1, 1]);
	const {entries} = await repository.readGeneration(generations[1].id);
	t.true(entries.some(entry => entry.path === 'clinic/link' && entry.type === 'symlink'));
	t.true(entries.some(entry => entry.path === 'clinic/empty' && entry.type === 'dir'));

	const into = path.join(work, 'restored');
	const restored = await runRestore(repository, {generation: 'latest', into});
	t.deepEqual(restored.mismatches, []);
	for (const [name, hash] of Object.entries(expected)) {
		t.is(sha(path.join(into, name)), hash, name);
	}

	t.is(fs.readlinkSync(path.join(into, 'clinic', 'link')), 'notes/a.txt');
	t.true((await runVerify(repository, {level: 'full', record: false})).ok);
});

test('a backup into a format-1 repository keeps writing format 1, and reuses the old generation\'s files', async t => {
	const {work, root} = copyFixture(t);
	const source = path.join(work, 'clinic');
	fs.mkdirSync(path.join(source, 'notes'), {recursive: true});
	fs.writeFileSync(path.join(source, 'notes', 'b.txt'), '患者 2\n');
	fs.writeFileSync(path.join(source, 'notes', 'c.txt'), 'a new note\n');
	const repository = await Repository.open(root, passphrase);
	const result = await runBackup(repository, {sources: [source]});
	t.is(result.generation.format, 1);
	t.is(result.generation.tree, undefined);
	t.is(result.generation.seq, 3);
	t.is((JSON.parse(fs.readFileSync(path.join(root, 'sedai-repository.json'), 'utf8')) as {version: number}).version, 1, 'the repository file is untouched');

	const into = path.join(work, 'restored');
	await runRestore(repository, {generation: 'latest', into});
	t.is(fs.readFileSync(path.join(into, 'clinic', 'notes', 'c.txt'), 'utf8'), 'a new note\n');
	t.is(sha(path.join(into, 'clinic', 'notes', 'b.txt')), expected['clinic/notes/b.txt']);
	t.true((await runVerify(repository, {level: 'full', record: false})).ok);
});
