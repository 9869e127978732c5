import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {execa} from 'execa';
import {Repository} from '../../source/core/repository/repository.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {SettingsStore} from '../../source/settings/store.js';
import {sedai, sedaiProcess} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/trees.js';
import {clinicTables, createClinicDatabase, startSourcePostgres, type SourcePostgres} from '../helpers/postgres.js';
import {removeProtected} from '../policy/helpers/cleanup.js';

const passphrase = 'correct horse battery';

type Site = {work: string; home: string; tmp: string; repositories: string[]; source: SourcePostgres};

/** A real PostgreSQL with the clinic database, two repositories and a plan that dumps `database`. */
async function site(t: ExecutionContext, database: string): Promise<Site> {
	const source = await startSourcePostgres();
	t.teardown(async () => source.stop());
	await createClinicDatabase(source);
	const work = temporaryDirectory();
	t.teardown(async () => removeProtected(work));
	const home = path.join(work, 'home');
	const tmp = path.join(work, 'tmp');
	const files = path.join(work, 'clinic');
	fs.mkdirSync(tmp);
	fs.mkdirSync(files);
	fs.writeFileSync(path.join(files, 'karte.txt'), '受診記録\n');
	const repositories = [path.join(work, 'nas'), path.join(work, 'disk')];
	for (const [i, root] of repositories.entries()) {
		const init = await sedai(['init', root, '--label', `R${i}`, ...(i === 0 ? ['--plaintext'] : [])], {home});
		t.is(init.exitCode, 0, init.stderr);
	}

	const {server} = source;
	new SettingsStore(home).update({
		sources: [files],
		targets: [{name: 'NAS', kind: 'folder', path: repositories[0]}, {name: 'DISK', kind: 'folder', path: repositories[1]}],
		plans: [{name: 'nightly', targets: ['NAS', 'DISK'], dumps: [{kind: 'postgresql', database, host: server.socketDir, port: server.port, user: server.superuser}]}],
	});
	return {work, home, tmp, repositories, source};
}

/** Files under `folder` (outside `skip`) that begin like a pg_dump archive. */
function dumpsOnDisk(folder: string, skip: string[]): string[] {
	return fs.readdirSync(folder, {recursive: true, withFileTypes: true})
		.filter(entry => entry.isFile())
		.map(entry => path.join(entry.parentPath, entry.name))
		.filter(file => !skip.some(root => file.startsWith(root + path.sep)))
		.filter(file => {
			try {
				const head = Buffer.alloc(5);
				const fd = fs.openSync(file, 'r');
				fs.readSync(fd, head, 0, 5, 0);
				fs.closeSync(fd);
				return head.toString('latin1') === 'PGDMP';
			} catch {
				return false;
			}
		});
}

async function generationsOf(roots: string[]): Promise<number[]> {
	return Promise.all(roots.map(async (root, i) => (await (await Repository.open(root, i === 0 ? undefined : passphrase)).listGenerations()).generations.length));
}

test('a plan dumps PostgreSQL straight into the generation of every target; restoring it and pg_restore give the same rows', async t => {
	const {work, home, tmp, repositories, source} = await site(t, 'clinic');
	// Watch the whole test folder (the CLI's TMPDIR included) while the plan runs.
	const run = sedaiProcess(['backup', '--plan', 'nightly', '--json'], {home, env: {TMPDIR: tmp}});
	const seen = new Set<string>();
	let running = true;
	void run.finally(() => {
		running = false;
	});
	while (running) {
		for (const file of dumpsOnDisk(work, repositories)) {
			seen.add(file);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 5);
		});
	}

	const result = await run;
	t.is(result.exitCode, 0, `${String(result.stdout)}${String(result.stderr)}`);
	t.deepEqual([...seen, ...dumpsOnDisk(work, repositories)], [], 'dump bytes were written outside the repositories');
	t.deepEqual(await generationsOf(repositories), [1, 1]);

	for (const [i, root] of repositories.entries()) {
		const repository = await Repository.open(root, i === 0 ? undefined : passphrase);
		const [generation] = (await repository.listGenerations()).generations;
		t.true(generation.sources.some(item => item.name === 'databases'));
		const into = path.join(work, `restore-${i}`);
		const restored = await runRestore(repository, {generation: generation.id, into, workers: 1});
		t.true(restored.ok);
		const dump = path.join(into, 'databases', 'clinic.pgdump');
		t.is(fs.readFileSync(dump).subarray(0, 5).toString('latin1'), 'PGDMP');
		const copy = `restored_${i}`;
		await source.sql(`CREATE DATABASE ${copy} OWNER ehr_app`);
		const {server} = source;
		await execa(path.join(server.bin, 'pg_restore'), ['--exit-on-error', '-d', copy, dump], {env: {LC_ALL: 'C', PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: server.superuser}});
		for (const table of clinicTables) {
			t.is(await source.sql(`SELECT count(*) FROM ${table.schema}."${table.name}"`, copy), String(table.rows), `${table.name} in ${copy}`);
		}
	}
});

test('a failing dump (wrong database name) seals no generation on any target and exits 1 with pg_dump\'s reason', async t => {
	const {home, repositories} = await site(t, 'no_such_clinic');
	const run = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(run.exitCode, 1, run.stdout + run.stderr);
	t.deepEqual(run.summary?.['sealed'], []);
	t.deepEqual(run.summary?.['failed'], ['NAS', 'DISK']);
	// Each target as it ended (its last line).
	const targets = new Map(run.lines.filter(line => line['type'] === 'target' && line['name']).map(line => [line['name'], line]));
	t.deepEqual([...targets.keys()], ['NAS', 'DISK']);
	for (const target of targets.values()) {
		t.regex(String(target['message']), /The dump of the database "no_such_clinic" failed \(.*database "no_such_clinic" does not exist\): no generation was sealed/);
	}

	t.deepEqual(await generationsOf(repositories), [0, 0]);
	const human = await sedai(['backup', '--plan', 'nightly'], {home});
	t.is(human.exitCode, 1);
	t.regex(human.stdout + human.stderr, /database "no_such_clinic" does not exist/);
	t.deepEqual(await generationsOf(repositories), [0, 0]);
});

test('before and after commands: a failing before command backs nothing up, and the after command still runs', async t => {
	const {work, home, repositories} = await site(t, 'clinic');
	const marker = path.join(work, 'after-ran');
	const store = new SettingsStore(home);
	const settings = store.get();
	const plan = settings.plans[0];
	store.update({plans: [{...plan, before: [{command: 'echo EHR still writing >&2; exit 3', timeoutSeconds: 10}], after: [{command: `touch '${marker}'`, timeoutSeconds: 10}]}]});
	const run = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(run.exitCode, 1, run.stdout + run.stderr);
	t.regex(run.stdout + run.stderr, /before command `echo EHR still writing >&2; exit 3` failed \(it exited with code 3: EHR still writing\): nothing was backed up/);
	t.true(fs.existsSync(marker));
	t.deepEqual(await generationsOf(repositories), [0, 0]);

	// A before command over its time limit is stopped and fails the run the same way.
	store.update({plans: [{...plan, before: [{command: 'sleep 30', timeoutSeconds: 1}]}]});
	const started = performance.now();
	const slow = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	const elapsed = performance.now() - started;
	t.is(slow.exitCode, 1);
	t.regex(slow.stdout + slow.stderr, /ran longer than its limit of 1 s/);
	// Stopped with what it started: the run did not wait for the 30 s sleep.
	t.true(elapsed < 25_000, `took ${Math.round(elapsed)} ms`);
	t.deepEqual(await generationsOf(repositories), [0, 0]);
});
