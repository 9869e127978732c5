import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackupToMany, type BackupStream} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** Streams (database dumps) in the engine: read once for every repository, stored as a file, all or nothing. */
const megabyte = 1024 * 1024;
const piece = 64 * 1024;

function countingStream(path: string, data: Buffer, opened: {count: number}, failAfter?: number): BackupStream {
	return {
		path,
		async * open() {
			opened.count++;
			for (let at = 0; at < data.length; at += piece) {
				if (failAfter !== undefined && at >= failAfter) {
					throw new Error('pg_dump: error: connection to server lost');
				}

				yield data.subarray(at, at + piece);
			}
		},
	};
}

async function setUp(t: {teardown: (fn: () => void) => void}) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'karte.txt'), '受診記録\n');
	const repositories = [
		await Repository.init(path.join(work, 'a'), {label: 'A', passphrase: 'pw'}),
		await Repository.init(path.join(work, 'b'), {label: 'B'}),
	];
	return {work, source, repositories};
}

test('a stream is read once for all repositories and restores byte for byte under its virtual root', async t => {
	const {work, source, repositories} = await setUp(t);
	const data = crypto.randomBytes(3 * megabyte);
	const opened = {count: 0};
	const outcomes = await runBackupToMany(repositories, {sources: [source], workers: 1, streams: [countingStream('databases/clinic.pgdump', data, opened)]});
	t.is(opened.count, 1);
	for (const [i, {result, error}] of outcomes.entries()) {
		t.is(error, undefined);
		t.true(result!.generation.sources.some(root => root.name === 'databases'));
		const into = path.join(work, `restore-${i}`);
		const restored = await runRestore(repositories[i], {generation: result!.generation.id, into, workers: 1});
		t.true(restored.ok);
		t.true(fs.readFileSync(path.join(into, 'databases', 'clinic.pgdump')).equals(data));
		t.is(fs.readFileSync(path.join(into, 'clinic', 'karte.txt'), 'utf8'), '受診記録\n');
	}

	// The same dump tomorrow adds (almost) nothing: its chunks deduplicate.
	const again = await runBackupToMany(repositories, {sources: [source], workers: 1, streams: [countingStream('databases/clinic.pgdump', data, opened)]});
	for (const {result} of again) {
		t.true(result!.generation.totals.newBytes < 64 * 1024, `new bytes ${result!.generation.totals.newBytes}`);
	}
});

test('a stream that fails part-way seals no generation on any repository, with its reason', async t => {
	const {source, repositories} = await setUp(t);
	const opened = {count: 0};
	const outcomes = await runBackupToMany(repositories, {sources: [source], workers: 1, streams: [countingStream('databases/clinic.pgdump', crypto.randomBytes(2 * megabyte), opened, megabyte)]});
	t.is(opened.count, 1);
	for (const [i, {result, error}] of outcomes.entries()) {
		t.is(result, undefined);
		t.regex(String(error?.message), /connection to server lost/);
		t.is((await repositories[i].listGenerations()).generations.length, 0);
	}
});

test('a source folder named like the dumps\' root is refused with one sentence', async t => {
	const {work, repositories} = await setUp(t);
	const clash = path.join(work, 'databases');
	fs.mkdirSync(clash);
	const [outcome] = await runBackupToMany([repositories[1]], {sources: [clash], workers: 1, streams: [countingStream('databases/x.pgdump', Buffer.from('PGDMP'), {count: 0})]});
	t.regex(String(outcome.error?.message), /A source folder is named "databases".*rename that source folder/);
	t.is((await repositories[1].listGenerations()).generations.length, 0);
});
