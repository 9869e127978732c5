import {existsSync} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {demoPassphrase} from '../../source/demo/world.js';
import type {DrillReport} from '../../source/report/drill-report.js';
import {parseDrillReport} from '../../source/report/parse-drill-report.js';
import {sedai} from '../helpers/cli.js';
import {clinicTables, createClinicDatabase, startSourcePostgres} from '../helpers/postgres.js';
import {removeTree} from '../helpers/trees.js';
import {startTerminal, type Terminal} from '../helpers/tmux.js';

/**
 * The drill from the console (issue 9), in the real `sedai demo` at 80×24 in a pseudo-terminal,
 * in English and in Japanese: n proposes the drill, the operator and witness are typed, the drill
 * runs; its report opens from the Drills view. The report it wrote must state the same facts
 * (verdict, medium, generation, files, checks) as `sedai drill --json` run on the same medium and
 * generation: one procedure under both front ends. The demo clinic holds a real pg_dump (plain
 * and custom format) so the database check loads real data.
 */
const root = path.resolve(import.meta.dirname, '../..');
let demo: string;
let terminal: Terminal | undefined;

const home = () => path.join(demo, 'home');

test.before(async () => {
	await fs.access(path.join(root, 'dist', 'cli.js'));
	demo = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-drill-e2e-'));
	// The drill's PostgreSQL runs as an unprivileged user: the folders above scratch must be searchable.
	await fs.chmod(demo, 0o711);
	const made = await sedai(['demo', '--no-tui', '--json'], {home: home(), env: {SEDAI_DEMO_DIR: demo}});
	if (made.exitCode !== 0) {
		throw new Error(`sedai demo --no-tui failed: ${made.stderr}`);
	}

	const source = await startSourcePostgres();
	try {
		await createClinicDatabase(source, 'clinic');
		await fs.mkdir(path.join(demo, 'clinic', 'databases'), {recursive: true});
		await source.dump('clinic', path.join(demo, 'clinic', 'databases', 'ehr.sql'), 'plain');
		await source.dump('clinic', path.join(demo, 'clinic', 'databases', 'ehr.pgdump'), 'custom');
	} finally {
		await source.stop();
	}

	// Every medium gets a generation holding the dumps: whichever the console proposes has them.
	for (const repo of [path.join(demo, 'bays', 'RDX-A', 'media', 'sedai'), path.join(demo, 'bays', 'RDX-C', 'media', 'sedai'), path.join(demo, 'shelf', 'RDX-B', 'media', 'sedai'), path.join(demo, 'nas', 'sedai')]) {
		const backup = await sedai(['backup', path.join(demo, 'clinic'), '--repo', repo, '--json'], {home: home(), passphrase: demoPassphrase, env: {SEDAI_DEMO_DIR: demo}});
		if (backup.exitCode !== 0) {
			throw new Error(`backup to ${repo} failed: ${backup.stdout}${backup.stderr}`);
		}
	}
});

test.after.always(() => {
	terminal?.kill();
	if (demo) {
		removeTree(demo);
	}
});

async function reportsOnDisk(): Promise<Map<string, DrillReport>> {
	const folder = path.join(home(), 'drills');
	const names = await fs.readdir(folder).catch(() => [] as string[]);
	const reports = new Map<string, DrillReport>();
	for (const name of names.filter(item => item.endsWith('.json'))) {
		try {
			reports.set(name, parseDrillReport(await fs.readFile(path.join(folder, name), 'utf8')));
		} catch {
			// Being written right now: the next look reads it whole.
		}
	}

	return reports;
}

/** Wait (bounded) until a drill report that was not there before is on disk. */
async function newReports(before: Map<string, DrillReport>): Promise<Array<[string, DrillReport]>> {
	const deadline = Date.now() + 180_000;
	for (;;) {
		const fresh = [...await reportsOnDisk()].filter(([name]) => !before.has(name));
		if (fresh.length > 0 || Date.now() > deadline) {
			return fresh;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 250);
		});
	}
}

/** The report without what differs between two runs of the same drill: times, durations, ids of runs. */
function facts(report: DrillReport): unknown {
	return {
		...report,
		startedAt: undefined,
		finishedAt: undefined,
		totalMs: undefined,
		generation: {...report.generation, ageMs: undefined},
		steps: report.steps.map(step => ({...step, durationMs: undefined})),
		applicationChecks: {
			databases: {...report.applicationChecks.databases, databases: report.applicationChecks.databases.databases.map(database => ({...database, durationMs: undefined}))},
			site: report.applicationChecks.site.map(check => ({...check, durationMs: undefined})),
		},
	};
}

type Words = {lang: string; operatorPrompt: RegExp; witnessPrompt: RegExp; passed: RegExp; tab: RegExp; html: RegExp; drills: RegExp; language: 'en' | 'ja'};

const english: Words = {lang: 'C.UTF-8', operatorPrompt: /who runs it \(operator\)/, witnessPrompt: /who witnesses it/, passed: /Drill (\S+) #(\d+) PASSED/, tab: /\[report \S+ #\d+]/, html: /HTML \(print\)/, drills: /\[Drills]/, language: 'en'};
const japanese: Words = {lang: 'ja_JP.UTF-8', operatorPrompt: /実施者の名前/, witnessPrompt: /立会人の名前/, passed: /復元訓練 (\S+) #(\d+) 合格/, tab: /\[報告書 \S+ #\d+]/, html: /HTML \(印刷用\)/, drills: /\[訓練]/, language: 'ja'};

async function drillFromConsole(t: ExecutionContext, words: Words, names: {operator: string; witness: string}): Promise<void> {
	const before = await reportsOnDisk();
	const status = path.join(demo, `exit-${words.language}`);
	const command = `cd ${root} && env CI=false LANG=${words.lang} LC_ALL= TERM=xterm-256color SEDAI_DEMO_DIR=${demo} node dist/cli.js demo; echo $? > ${status}; sleep 600`;
	// A console left by a failed run before this one goes first.
	terminal?.kill();
	terminal = startTerminal(`sedai-drill-${words.language}-${process.pid}`, command, {columns: 80, rows: 24});
	const term = terminal;
	await term.waitFor(/Sakura Clinic[^\n]*● (?:RDX-A|\d)/, 180_000);
	await term.keys('7');
	await term.waitFor(words.drills);
	await term.keys('n');
	await term.waitFor(words.operatorPrompt, 60_000);
	await term.keys(names.operator, 'Enter');
	await term.waitFor(words.witnessPrompt);
	await term.keys(names.witness, 'Enter');
	// The console's log is kept across sessions: wait for this drill's report, then its line.
	const written = await newReports(before);
	t.is(written.length, 1, written.map(([name]) => name).join(', '));
	const [name, tui] = written[0];
	const {label} = tui.medium;
	const seq = String(tui.generation.seq);
	await term.waitFor({test: text => [...text.matchAll(new RegExp(words.passed.source, 'g'))].some(match => match[1] === label && match[2] === seq)});
	t.is(tui.language, words.language);
	t.is(tui.medium.label, label);
	t.is(tui.generation.seq, Number(seq));
	t.is(tui.operator, names.operator);
	t.is(tui.witness, names.witness);
	t.true(tui.verdict.passed, JSON.stringify(tui.verdict));
	const loaded = tui.applicationChecks.databases.databases;
	t.deepEqual(loaded.map(database => path.basename(database.file)).sort(), ['ehr.pgdump', 'ehr.sql']);
	for (const database of loaded) {
		t.true(database.ok, database.error);
		t.is(database.tables.find(table => table.name === 'visits')?.rows, clinicTables.find(table => table.name === 'visits')?.rows);
	}

	// Enter opens the newest drill's report; it names its files; q goes back to the list.
	await term.waitFor(new RegExp(String.raw`${label}\s+\S+\s+\S+ OK`));
	await term.keys('Home', 'Enter');
	await term.waitFor(words.tab);
	const opened = await term.waitFor(words.html);
	// The HTML to print: its path (wrapped to the screen) ends with the report's name.
	t.true(opened.includes(`${label}.html`), opened);
	t.true(existsSync(path.join(home(), 'drills', name.replace(/\.json$/, '.html'))));
	await term.keys('PageDown');
	await term.waitFor(/of \d+|行中/);
	await term.keys('q');
	await term.waitFor(words.drills);

	// The same drill from the CLI, on the same medium and generation.
	const repo = tui.medium.label === 'NAS' ? path.join(demo, 'nas', 'sedai') : path.join(demo, tui.medium.label === 'RDX-B' ? 'shelf' : 'bays', tui.medium.label, 'media', 'sedai');
	const cli = await sedai(['drill', '--repo', repo, '--generation', tui.generation.id, '--operator', names.operator, '--witness', names.witness, '--lang', words.language, '--json'], {home: home(), passphrase: demoPassphrase, env: {SEDAI_DEMO_DIR: demo}});
	t.is(cli.exitCode, 0, cli.stdout + cli.stderr);
	const headless = cli.summary?.['report'] as DrillReport;
	t.deepEqual(facts(headless), facts(tui));

	await term.keys('q');
	await term.waitFor(/Quit Sedai\?|Sedai を終了/);
	await term.keys('y');
	await term.waitFor({test: () => existsSync(status)}, 30_000);
	t.is((await fs.readFile(status, 'utf8')).trim(), '0');
	term.kill();
	terminal = undefined;
}

test.serial('the console\'s drill at 80×24 in English writes the report sedai drill --json writes', async t => {
	await drillFromConsole(t, english, {operator: 'Tanaka', witness: 'Sato'});
});

test.serial('the console\'s drill at 80×24 in Japanese writes the report sedai drill --json writes', async t => {
	await drillFromConsole(t, japanese, {operator: 'Yamada', witness: 'Suzuki'});
});
