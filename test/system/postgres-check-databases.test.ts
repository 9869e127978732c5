import fs from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import path from 'node:path';
import test from 'ava';
import {checkDatabases} from '../../source/system/postgres/check-databases.js';
import {clinicTables, createClinicDatabase, processesMentioning, startSourcePostgres, type SourcePostgres} from '../helpers/postgres.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

// One source server and one restored tree of real dumps for the whole file: starting PostgreSQL is the slow part.
let source: SourcePostgres;
let restored: string;

test.before(async () => {
	source = await startSourcePostgres();
	await createClinicDatabase(source);
	restored = temporaryDirectory('sedai-restored-');
	// Names that say nothing: dumps are recognised by content.
	fs.mkdirSync(path.join(restored, 'var', 'backups'), {recursive: true});
	await source.dump('clinic', path.join(restored, 'var', 'backups', 'nightly.out'), 'plain');
	await source.dump('clinic', path.join(restored, 'clinic.bin'), 'custom');
	fs.writeFileSync(path.join(restored, 'readme.sql'), 'SELECT 1; -- not a pg_dump file\n');
});

test.after.always(async () => {
	await source?.stop();
	if (restored) {
		removeTree(restored);
	}
});

const expectedTables = clinicTables.map(table => ({...table})).sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`));
const byName = (tables: Array<{schema: string; name: string}>) => [...tables].sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`));

test('a plain and a custom-format dump load into the throwaway server with every table\'s row count; the server is gone afterwards', async t => {
	const scratch = temporaryDirectory('sedai-scratch-');
	fs.chmodSync(scratch, 0o700);
	t.teardown(() => {
		removeTree(scratch);
	});
	const result = await checkDatabases(restored, scratch);
	t.true(result.available);
	t.deepEqual(result.databases.map(database => [path.relative(restored, database.file), database.format, database.ok]), [
		['clinic.bin', 'custom', true],
		[path.join('var', 'backups', 'nightly.out'), 'plain', true],
	]);
	for (const database of result.databases) {
		t.is(database.error, undefined);
		t.deepEqual(byName(database.tables), expectedTables);
		t.true(database.durationMs >= 0);
	}

	t.not(result.databases[0].database, result.databases[1].database);
	t.deepEqual(fs.readdirSync(scratch), [], 'the server folder is removed');
	t.deepEqual(processesMentioning(scratch), [], 'no server process is left');
	t.is(fs.statSync(scratch).mode & 0o777, 0o700, 'the scratch folder is private again');
});

test('a truncated plain dump fails with PostgreSQL\'s own error; a whole one beside it still loads', async t => {
	const tree = temporaryDirectory('sedai-restored-cut-');
	const scratch = temporaryDirectory('sedai-scratch-');
	t.teardown(() => {
		removeTree(tree);
		removeTree(scratch);
	});
	const whole = fs.readFileSync(path.join(restored, 'var', 'backups', 'nightly.out'), 'utf8');
	// Cut inside the visits data: the last row loses its columns.
	const cut = whole.indexOf('\tvisit 200');
	fs.writeFileSync(path.join(tree, 'cut.sql'), whole.slice(0, cut));
	fs.writeFileSync(path.join(tree, 'whole.sql'), whole);
	const result = await checkDatabases(tree, scratch);
	const [broken, fine] = result.databases;
	t.false(broken.ok);
	t.regex(broken.error ?? '', /ERROR: {2}.*(missing data|invalid input|syntax)/s);
	t.true(fine.ok);
	t.deepEqual(byName(fine.tables), expectedTables);
	t.deepEqual(fs.readdirSync(scratch), []);
});

test('a plain dump cut exactly at a statement boundary loads but is reported as cut short', async t => {
	const tree = temporaryDirectory('sedai-restored-cut-');
	const scratch = temporaryDirectory('sedai-scratch-');
	t.teardown(() => {
		removeTree(tree);
		removeTree(scratch);
	});
	const whole = fs.readFileSync(path.join(restored, 'var', 'backups', 'nightly.out'), 'utf8');
	fs.writeFileSync(path.join(tree, 'early.sql'), whole.slice(0, whole.indexOf('CREATE TABLE')));
	const [database] = (await checkDatabases(tree, scratch)).databases;
	t.false(database.ok);
	t.regex(database.error ?? '', /cut short/);
});

test('without PostgreSQL the check says so and how to install it, and loads nothing', async t => {
	const scratch = temporaryDirectory('sedai-scratch-');
	t.teardown(() => {
		removeTree(scratch);
	});
	const result = await checkDatabases(restored, scratch, {postgres: null});
	t.false(result.available);
	t.deepEqual(result.databases, []);
	t.is(result.note, 'PostgreSQL is not installed: apt-get install postgresql (2 dumps found, not loaded).');
});

test('a tree without dumps starts no server', async t => {
	const tree = temporaryDirectory('sedai-restored-empty-');
	const scratch = temporaryDirectory('sedai-scratch-');
	t.teardown(() => {
		removeTree(tree);
		removeTree(scratch);
	});
	fs.writeFileSync(path.join(tree, 'notes.sql'), 'CREATE TABLE x (y int);\n');
	const result = await checkDatabases(tree, scratch);
	t.true(result.available);
	t.deepEqual(result.databases, []);
	t.regex(result.note ?? '', /No PostgreSQL dump/);
	t.deepEqual(fs.readdirSync(scratch), []);
});

const isRoot = process.getuid?.() === 0;
// Under CI=true (as root) this must run; elsewhere a non-root run has no user switch to prove.
const rootTest = isRoot || process.env['CI'] === 'true' ? test : test.skip;

rootTest('as root a plain dump\'s shell escapes run as an unprivileged user and cannot touch the restored files', async t => {
	if (!isRoot) {
		throw new Error('This test needs root (uid 0): CI runs as root with CI=true.');
	}

	const tree = temporaryDirectory('sedai-restored-hostile-');
	const scratch = temporaryDirectory('sedai-scratch-');
	const probe = path.join(temporaryDirectory('sedai-probe-'), 'uid');
	fs.chmodSync(path.dirname(probe), 0o1777);
	t.teardown(() => {
		removeTree(tree);
		removeTree(scratch);
		removeTree(path.dirname(probe));
	});
	const planted = path.join(tree, 'planted');
	fs.writeFileSync(path.join(tree, 'hostile.sql'), `--\n-- PostgreSQL database dump\n--\n\\! id -u > ${probe}\n\\! touch ${planted}\nCREATE TABLE t (x int);\n`);
	const [database] = (await checkDatabases(tree, scratch)).databases;
	t.not(fs.readFileSync(probe, 'utf8').trim(), '0');
	t.false(fs.existsSync(planted));
	t.deepEqual(database.tables, [{schema: 'public', name: 't', rows: 0}]);
});

test('cancelling while the server runs stops it and removes its folder', async t => {
	const scratch = temporaryDirectory('sedai-scratch-');
	t.teardown(() => {
		removeTree(scratch);
	});
	const controller = new AbortController();
	const check = checkDatabases(restored, scratch, {signal: controller.signal});
	// Wait for the state "the server listens in the scratch folder", then cancel.
	const listening = () => fs.readdirSync(scratch).some(folder => fs.existsSync(path.join(scratch, folder, '.s.PGSQL.5432')));
	while (!listening()) {
		await delay(20);
	}

	controller.abort();
	await t.throwsAsync(check, {name: 'SedaiError', message: /cancelled/});
	t.deepEqual(fs.readdirSync(scratch), []);
	t.deepEqual(processesMentioning(scratch), []);
});
