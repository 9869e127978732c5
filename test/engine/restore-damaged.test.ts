import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {chunkCount, chunkId} from '../../source/core/repository/manifest.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {fromText} from '../../source/core/byte-path.js';
import {flipStoredByte} from '../helpers/damage.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/**
 * A database dump of many chunks whose middle chunk is damaged in the repository: the restore
 * keeps the dump's shape (a hole of zeros exactly where the chunk was) and marks it.
 */
async function damagedDump(t: ExecutionContext) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	writeRandomFile(path.join(source, 'db', 'dump.sql'), 3 * 1024 * 1024);
	fs.writeFileSync(path.join(source, 'db', 'notes.txt'), 'healthy\n');
	fs.linkSync(path.join(source, 'db', 'dump.sql'), path.join(source, 'db', 'link-to-dump.sql'));
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-D', passphrase: 'correct horse battery'});
	await runBackup(repository, {sources: [source], workers: 1});
	const generation = await repository.resolveGeneration('latest');
	const {entries} = await repository.readGeneration(generation.id);
	const {index} = await repository.loadIndex();
	const dump = entries.find(entry => entry.path === fromText('clinic/db/dump.sql'))!;
	const count = chunkCount(dump);
	t.true(count >= 5, 'the dump spans several chunks');
	const middle = Math.floor(count / 2);
	let offset = 0;
	for (let i = 0; i < middle; i++) {
		offset += index.get(chunkId(dump, i))!.rawLength;
	}

	const location = index.get(chunkId(dump, middle))!;
	flipStoredByte(repository, location);
	return {work, repository, original: fs.readFileSync(path.join(source, 'db', 'dump.sql')), hole: {offset, length: location.rawLength}};
}

test('a damaged middle chunk: saved as .sedai-damaged, same size, zeros exactly there, every other byte intact', async t => {
	const {work, repository, original, hole} = await damagedDump(t);
	const into = path.join(work, 'out');
	const result = await runRestore(repository, {generation: 'latest', into, workers: 1});
	const db = path.join(into, 'clinic', 'db');
	t.false(fs.existsSync(path.join(db, 'dump.sql')), 'nothing under the real name');
	t.false(fs.existsSync(path.join(db, 'link-to-dump.sql')), 'nor under its hardlink\'s name');
	const restored = fs.readFileSync(path.join(db, 'dump.sql.sedai-damaged'));
	t.is(restored.length, original.length);
	t.true(restored.subarray(hole.offset, hole.offset + hole.length).equals(Buffer.alloc(hole.length)), 'the hole is zeros');
	t.true(restored.subarray(0, hole.offset).equals(original.subarray(0, hole.offset)), 'bytes before the hole match');
	t.true(restored.subarray(hole.offset + hole.length).equals(original.subarray(hole.offset + hole.length)), 'bytes after the hole match, not shifted');
	t.is(fs.statSync(path.join(db, 'link-to-dump.sql.sedai-damaged')).ino, fs.statSync(path.join(db, 'dump.sql.sedai-damaged')).ino);
	t.is(fs.readFileSync(path.join(db, 'notes.txt'), 'utf8'), 'healthy\n');

	t.deepEqual(result.damaged, [
		{path: 'clinic/db/dump.sql', savedAs: 'clinic/db/dump.sql.sedai-damaged', missing: [hole]},
		{path: 'clinic/db/link-to-dump.sql', savedAs: 'clinic/db/link-to-dump.sql.sedai-damaged', missing: [hole]},
	]);
	t.false(result.ok);
	t.deepEqual(result.mismatches.map(problem => problem.path).sort(), ['clinic/db/dump.sql', 'clinic/db/link-to-dump.sql']);
	t.regex(result.mismatches.find(problem => problem.path === 'clinic/db/dump.sql')!.reason, /saved as clinic\/db\/dump\.sql\.sedai-damaged/);
});

test('keepDamagedNames: the damaged file keeps its name and is still listed and not ok', async t => {
	const {work, repository, original, hole} = await damagedDump(t);
	const into = path.join(work, 'out');
	const result = await runRestore(repository, {generation: 'latest', into, include: ['clinic/db/dump.sql'], workers: 1, keepDamagedNames: true});
	const restored = fs.readFileSync(path.join(into, 'clinic', 'db', 'dump.sql'));
	t.is(restored.length, original.length);
	t.true(restored.subarray(hole.offset, hole.offset + hole.length).equals(Buffer.alloc(hole.length)));
	t.false(fs.existsSync(path.join(into, 'clinic', 'db', 'dump.sql.sedai-damaged')));
	t.deepEqual(result.damaged, [{path: 'clinic/db/dump.sql', savedAs: 'clinic/db/dump.sql', missing: [hole]}]);
	t.false(result.ok);
	t.is(result.mismatches.length, 1);
});
