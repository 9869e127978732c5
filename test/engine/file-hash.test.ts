import fs from 'node:fs';
import path from 'node:path';
import {createHash} from 'node:crypto';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackupToMany, runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {diffEntries} from '../../source/core/browse.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

const passphrase = 'file hash passphrase';
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('every file entry carries its whole-file SHA-256, computed while chunking; identical content on two media diffs as unchanged', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'note.txt'), 'a small note\n');
	fs.writeFileSync(path.join(source, 'empty'), '');
	writeRandomFile(path.join(source, 'scan.dcm'), 5 * 1024 * 1024);
	const [a, b] = await Promise.all(['a', 'b'].map(async name => Repository.init(path.join(work, name), {label: name, passphrase})));
	const outcomes = await runBackupToMany([a, b], {sources: [source]});
	const [first, second] = await Promise.all(outcomes.map(async ({repository, result}) => repository.readGeneration(result!.generation.id)));
	for (const name of ['note.txt', 'empty', 'scan.dcm']) {
		const entry = first.entries.find(item => item.path === `clinic/${name}`)!;
		t.is(entry.sha256?.toString('hex'), sha(path.join(source, name)), name);
	}

	const scan = (entries: typeof first.entries) => entries.find(item => item.path === 'clinic/scan.dcm')!;
	t.false(scan(first.entries).chunks!.equals(scan(second.entries).chunks!), 'each repository cuts its own chunks');
	const diff = diffEntries(first.entries, second.entries);
	t.deepEqual([diff.changed.length, diff.added.length, diff.removed.length], [0, 0, 0], 'the same content on two media is no change');

	// An unchanged file keeps its hash without being read again; the restore checks it in one pass.
	const again = await runBackup(a, {sources: [source]});
	t.is(again.reusedFiles, 3);
	const reread = await a.readGeneration(again.generation.id);
	t.deepEqual(scan(reread.entries).sha256, scan(first.entries).sha256);
	const into = path.join(work, 'restored');
	const restored = await runRestore(a, {generation: 'latest', into});
	t.deepEqual(restored.mismatches, []);
	t.is(sha(path.join(into, 'clinic', 'scan.dcm')), sha(path.join(source, 'scan.dcm')));
});
