import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {blobFlags} from '../../source/core/repository/blob-codec.js';
import {packPath} from '../../source/core/repository/layout.js';
import {diffEntries} from '../../source/core/browse.js';
import {bytesUnder, makeMutable, removeTree, snapshotTree, temporaryDirectory} from '../helpers/trees.js';

const passphrase = 'format two passphrase';

function setup(t: {teardown: (fn: () => void) => void}): {work: string; source: string} {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	return {work, source};
}

test('a no-change backup of a 10,000-file tree adds under 20 KB; one changed file costs its data and the trees on its path', async t => {
	const {work, source} = setup(t);
	for (let d = 0; d < 100; d++) {
		const folder = path.join(source, `ward-${d}`);
		fs.mkdirSync(folder);
		for (let f = 0; f < 100; f++) {
			fs.writeFileSync(path.join(folder, `note-${f}.txt`), `ward ${d} note ${f}\n`);
		}
	}

	const repository = await Repository.init(path.join(work, 'repo'), {label: 'F2', passphrase});
	t.is(repository.config.version, 2);
	const first = await runBackup(repository, {sources: [source]});
	t.is(first.generation.format, 2);
	t.regex(first.generation.tree ?? '', /^[\da-f]{64}$/);
	t.true(first.generation.fileBytes < 4096, `the generation file holds only the header: ${first.generation.fileBytes} bytes`);

	const before = bytesUnder(repository.root);
	const unchanged = await runBackup(repository, {sources: [source]});
	const added = bytesUnder(repository.root) - before;
	t.true(added < 20_000, `a no-change backup added ${added} bytes`);
	t.is(unchanged.generation.totals.newBlobs, 0, 'no tree and no data written again');
	t.is(unchanged.generation.tree, first.generation.tree, 'the same tree, the same root id');
	t.is(unchanged.reusedFiles, 10_000);

	fs.writeFileSync(path.join(source, 'ward-42', 'note-7.txt'), 'amended\n');
	const changed = await runBackup(repository, {sources: [source]});
	t.is(changed.changedFiles, 1);
	// One data blob; the trees of ward-42, of clinic and the root: the other 99 wards are reused.
	t.is(changed.generation.totals.newBlobs, 4);

	const [a, b] = await Promise.all([repository.readGeneration(unchanged.generation.id), repository.readGeneration(changed.generation.id)]);
	t.is(b.entries.length, 10_101);
	t.is(b.treeIds.length, 102);
	const diff = diffEntries(a.entries, b.entries);
	t.deepEqual(diff.changed.map(item => item.path), ['clinic/ward-42/note-7.txt']);
	t.deepEqual([diff.added.length, diff.removed.length], [0, 0]);
});

test('a format-2 generation restores byte for byte, verifies, and a damaged folder list is found by verify', async t => {
	const {work, source} = setup(t);
	fs.mkdirSync(path.join(source, 'scans', 'empty'), {recursive: true});
	fs.writeFileSync(path.join(source, 'scans', 'a.txt'), 'first scan\n');
	fs.writeFileSync(path.join(source, 'dump.sql'), 'INSERT INTO visits VALUES (1);\n'.repeat(50_000));
	fs.symlinkSync('scans/a.txt', path.join(source, 'latest-scan'));
	fs.linkSync(path.join(source, 'scans', 'a.txt'), path.join(source, 'a-again.txt'));
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'F2', passphrase});
	await runBackup(repository, {sources: [source]});

	const into = path.join(work, 'restored');
	const restored = await runRestore(repository, {generation: 'latest', into});
	t.deepEqual(restored.mismatches, []);
	const original = snapshotTree(source);
	const copy = snapshotTree(path.join(into, 'clinic'));
	t.deepEqual([...copy.keys()].sort(), [...original.keys()].sort());
	for (const [key, entry] of original) {
		t.is(copy.get(key)!.hash, entry.hash);
		t.is(copy.get(key)!.mode, entry.mode);
	}

	t.true((await runVerify(repository, {level: 'full'})).ok);

	const {index} = await repository.loadIndex();
	t.true([...index.entries()].some(([, location]) => location.flags & blobFlags.zstd), 'the dump is stored zstd-compressed');
	// Flip a byte inside one folder's tree blob.
	const tree = [...index.entries()].find(([, location]) => location.flags & blobFlags.tree)!;
	const file = packPath(repository.layout, tree[1].packId);
	makeMutable(file);
	const bytes = fs.readFileSync(file);
	bytes[tree[1].offset + 20] ^= 0xFF;
	fs.writeFileSync(file, bytes);
	const verified = await runVerify(repository, {level: 'structure'});
	t.false(verified.ok);
	t.true(verified.problems.some(problem => problem.kind === 'generation' && problem.message.includes('folders')), JSON.stringify(verified.problems));
});
