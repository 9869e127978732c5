import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {checkDatabases} from '../../source/system/postgres/check-databases.js';
import {startThrowawayServer} from '../../source/system/postgres/throwaway-server.js';
import {clinicTables, createClinicDatabase, startSourcePostgres, type SourcePostgres} from '../helpers/postgres.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * The drill's database check over a real PostgreSQL: a plain dump made with `pg_dump -C`
 * (CREATE DATABASE, then `\connect`) is counted in the database it connects to, not reported as
 * "ok, 0 tables"; and a scratch folder the unprivileged server cannot reach is one sentence
 * naming the folder and the fix, not initdb's complaint.
 */
let source: SourcePostgres;

test.before(async () => {
	source = await startSourcePostgres();
	await createClinicDatabase(source, 'clinic_c');
});

test.after.always(async () => {
	await source?.stop();
});

function folder(t: {teardown: (fn: () => void) => void}): string {
	const work = temporaryDirectory('sedai-drill-pg-');
	// Searchable by the server's unprivileged account, as /var/tmp is.
	fs.chmodSync(work, 0o711);
	t.teardown(() => {
		removeTree(work);
	});
	return work;
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('a pg_dump -C dump is loaded into the database it connects to and its tables are counted, twice over', async t => {
	const work = folder(t);
	const restored = path.join(work, 'restored');
	const scratch = path.join(work, 'scratch');
	fs.mkdirSync(path.join(restored, 'db'), {recursive: true});
	fs.mkdirSync(scratch, {mode: 0o700});
	// Two dumps of the same database with -C: the second must not fail on "already exists".
	await source.dump('clinic_c', path.join(restored, 'db', 'a-clinic.sql'), 'plain', {create: true});
	await source.dump('clinic_c', path.join(restored, 'db', 'b-clinic.sql'), 'plain', {create: true});
	t.regex(fs.readFileSync(path.join(restored, 'db', 'a-clinic.sql'), 'utf8'), /^\\connect clinic_c$/m);
	const before = sha(path.join(restored, 'db', 'a-clinic.sql'));

	const check = await checkDatabases(restored, scratch);
	t.true(check.available);
	t.is(check.databases.length, 2);
	for (const database of check.databases) {
		t.true(database.ok, database.error);
		t.is(database.database, 'clinic_c');
		for (const table of clinicTables) {
			t.is(database.tables.find(item => item.schema === table.schema && item.name === table.name)?.rows, table.rows, `${path.basename(database.file)} ${table.schema}.${table.name}`);
		}
	}

	t.is(sha(path.join(restored, 'db', 'a-clinic.sql')), before, 'the restored dump is read, never changed');
	t.deepEqual(fs.readdirSync(scratch), [], 'the throwaway server is gone');
});

test('a scratch folder below a folder the unprivileged server cannot search: one sentence naming it and the fix', async t => {
	const asRoot = process.getuid?.() === 0;
	t.true(asRoot || process.env['CI'] !== 'true', 'CI runs as root: the unprivileged server must be checked');
	if (!asRoot) {
		return;
	}

	const work = folder(t);
	const closed = path.join(work, 'closed');
	const scratch = path.join(closed, 'scratch');
	fs.mkdirSync(scratch, {recursive: true, mode: 0o700});
	fs.chmodSync(closed, 0o700);
	const error = await t.throwsAsync(startThrowawayServer(scratch));
	t.true((error?.message ?? '').includes(`cannot reach the scratch folder ${scratch} because ${closed} is not searchable by it: run chmod o+x ${closed}, or set a scratch folder`), error?.message);
	t.notRegex(error?.message ?? '', /initdb/);
	t.deepEqual(fs.readdirSync(scratch), [], 'nothing was made there');
});
