import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {chunkId} from '../../source/core/repository/manifest.js';
import {fromText} from '../../source/core/byte-path.js';
import type {DrillReport} from '../../source/report/drill-report.js';
import {sedai} from '../helpers/cli.js';
import {clinicTables, createClinicDatabase, startSourcePostgres, type SourcePostgres} from '../helpers/postgres.js';
import {flipStoredByte} from '../helpers/damage.js';
import {makeMutable, removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * `sedai drill` end to end over real parts: a clinic folder with real pg_dump files (plain and
 * custom format) of a real PostgreSQL database, a real repository, and the drill's own
 * throwaway PostgreSQL. The report must list every table with its row count and time every step.
 */
const passphrase = 'correct horse battery';
let source: SourcePostgres;

test.before(async () => {
	source = await startSourcePostgres();
	await createClinicDatabase(source, 'clinic');
});

test.after.always(async () => {
	await source?.stop();
});

type Site = {work: string; home: string; clinic: string; repo: string; scratch: string; reports: string};

async function site(t: ExecutionContext, prepare?: (clinic: string) => void): Promise<Site> {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	// The drill's PostgreSQL runs as an unprivileged user: the folders above scratch must be
	// searchable, as /var/tmp (the default scratch's parent) is.
	fs.chmodSync(work, 0o711);
	const home = path.join(work, 'home');
	const clinic = path.join(work, 'clinic');
	const scratch = path.join(work, 'scratch');
	fs.mkdirSync(path.join(clinic, 'databases'), {recursive: true});
	fs.mkdirSync(path.join(clinic, 'documents'), {recursive: true});
	fs.mkdirSync(home, {recursive: true});
	fs.writeFileSync(path.join(clinic, 'documents', 'referral.txt'), 'Referral letter for patient 42\n');
	await source.dump('clinic', path.join(clinic, 'databases', 'ehr.sql'), 'plain');
	await source.dump('clinic', path.join(clinic, 'databases', 'ehr.pgdump'), 'custom');
	prepare?.(clinic);
	fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({site: 'Sakura Clinic', sources: [clinic], scratch}));
	const repo = path.join(work, 'repo');
	t.is((await sedai(['init', repo, '--label', 'RDX-A'], {home, passphrase})).exitCode, 0);
	const backup = await sedai(['backup', clinic, '--repo', repo], {home, passphrase});
	t.is(backup.exitCode, 0, backup.stderr);
	return {work, home, clinic, repo, scratch, reports: path.join(work, 'reports')};
}

async function drill(s: Site, extra: string[] = []) {
	return sedai(['drill', '--repo', s.repo, '--operator', 'Tanaka', '--witness', 'Sato (clinic manager)', '--report-dir', s.reports, '--json', ...extra], {home: s.home, passphrase});
}

function reportOf(run: Awaited<ReturnType<typeof drill>>): DrillReport {
	return run.summary?.['report'] as DrillReport;
}

test('a drill restores, proves every byte, loads both dumps into a throwaway PostgreSQL with the right row counts, and keeps its report', async t => {
	const s = await site(t);
	const run = await drill(s);
	t.is(run.exitCode, 0, run.stdout + run.stderr);
	const report = reportOf(run);
	t.true(report.verdict.passed);
	t.is(report.operator, 'Tanaka');
	const loaded = report.applicationChecks.databases.databases;
	t.deepEqual(loaded.map(database => [path.basename(database.file), database.ok]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))), [['ehr.pgdump', true], ['ehr.sql', true]]);
	for (const database of loaded) {
		for (const table of clinicTables) {
			t.is(database.tables.find(item => item.schema === table.schema && item.name === table.name)?.rows, table.rows, `${database.file} ${table.schema}.${table.name}`);
		}
	}

	t.deepEqual(report.steps.map(step => step.id), ['open-medium', 'check-chain', 'restore', 'verify', 'compare-live', 'application-check', 'sign-off']);
	t.true(report.steps.every(step => Number.isFinite(step.durationMs) && step.durationMs >= 0));
	t.is(report.liveComparison.missing, 0);
	t.true(report.liveComparison.identical > 0);

	// The same report as Markdown and JSON, in the named folder, in the local drills folder, and sealed on the medium.
	const names = fs.readdirSync(s.reports);
	t.deepEqual(names.map(name => path.extname(name)).sort(), ['.html', '.json', '.md']);
	const markdown = fs.readFileSync(path.join(s.reports, names.find(name => name.endsWith('.md'))!), 'utf8');
	for (const table of clinicTables) {
		t.true(markdown.includes(table.name) && markdown.includes(String(table.rows)), `${table.name} in the Markdown`);
	}

	t.true(fs.readdirSync(path.join(s.home, 'drills')).some(name => name.endsWith('.md')));
	t.is(fs.readdirSync(path.join(s.repo, 'drills')).length, 1);
	// The restored patient data is gone afterwards.
	t.deepEqual(fs.existsSync(s.scratch) ? fs.readdirSync(s.scratch) : [], []);

	// An edited report on the medium is caught by verify.
	const onMedium = path.join(s.repo, 'drills', fs.readdirSync(path.join(s.repo, 'drills'))[0]);
	makeMutable(onMedium);
	const bytes = fs.readFileSync(onMedium);
	bytes[Math.floor(bytes.length / 2)] ^= 0x01;
	fs.writeFileSync(onMedium, bytes);
	const verify = await sedai(['verify', '--repo', s.repo, '--json'], {home: s.home, passphrase});
	t.is(verify.exitCode, 3, verify.stdout + verify.stderr);
	t.true(verify.lines.some(line => line['type'] === 'problem' && /drill report .* edited or damaged/.test(String(line['message']))));
});

test('damaged dump data in the repository: the drill fails with exit 3 and the report names the file', async t => {
	const s = await site(t);
	const repository = await Repository.open(s.repo, passphrase);
	const {entries} = await repository.readGeneration((await repository.resolveGeneration('latest')).id);
	const victim = entries.find(entry => entry.path === fromText('clinic/databases/ehr.pgdump'))!;
	const location = (await repository.loadIndex()).index.get(chunkId(victim, 0))!;
	flipStoredByte(repository, location);

	const run = await drill(s);
	t.is(run.exitCode, 3, run.stdout);
	const report = reportOf(run);
	t.false(report.verdict.passed);
	t.true(report.verdict.reasons.some(reason => reason.code === 'byte-mismatch' && reason.detail?.includes('ehr.pgdump')), JSON.stringify(report.verdict));
});

test('a dump that does not load fails the application check with PostgreSQL\'s own error in the report', async t => {
	const s = await site(t, clinic => {
		const sql = path.join(clinic, 'databases', 'ehr.sql');
		const text = fs.readFileSync(sql, 'utf8');
		// Cut in the middle of the data: the COPY of a table is broken off.
		fs.writeFileSync(sql, text.slice(0, Math.floor(text.indexOf(String.raw`\.`) / 2)) + '\nnot sql at all;\n');
	});
	const run = await drill(s);
	t.is(run.exitCode, 1, run.stdout);
	const report = reportOf(run);
	const broken = report.applicationChecks.databases.databases.find(database => database.file.endsWith('ehr.sql'));
	t.false(broken?.ok);
	t.regex(broken?.error ?? '', /ERROR/);
	t.true(report.verdict.reasons.some(reason => reason.code === 'database-failed'));
});
