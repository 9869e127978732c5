import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import test, {type ExecutionContext} from 'ava';
import {execa} from 'execa';
import {cliPath, sedai, sedaiProcess} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';
import type {JournalRecord} from '../../source/settings/job-journal.js';

/**
 * End to end with the real binary: a backup writes its job journal, and `sedai monitor` running
 * in a real terminal (tmux) shows the job, the cartridge and the log; a backup killed mid-way
 * shows as interrupted. Needs tmux (CI installs it).
 */
const passphrase = 'monitor test passphrase';

type World = {root: string; home: string; repo: string; source: string; label: string};

async function world(t: ExecutionContext, sourceMiB: number): Promise<World> {
	const root = temporaryDirectory('sedai-monitor-');
	t.teardown(() => {
		removeTree(root);
	});
	const home = path.join(root, 'home');
	const repo = path.join(root, 'repo');
	const source = path.join(root, 'clinic');
	fs.mkdirSync(path.join(source, '患者'), {recursive: true});
	for (let index = 0; index < sourceMiB / 4; index++) {
		fs.writeFileSync(path.join(source, `dump-${index}.bin`), randomBytes(4 * 1024 * 1024));
	}

	for (let index = 0; index < 20; index++) {
		fs.writeFileSync(path.join(source, '患者', `カルテ_${index}.txt`), `record ${index}\n`);
	}

	const label = `MON-${randomBytes(3).toString('hex').toUpperCase()}`;
	const init = await sedai(['init', repo, '--label', label], {home, passphrase});
	t.is(init.exitCode, 0, `${init.stderr}`);
	return {root, home, repo, source, label};
}

function journals(home: string): string[] {
	const directory = path.join(home, 'jobs');
	return fs.existsSync(directory) ? fs.readdirSync(directory).filter(name => name.endsWith('.jsonl')).sort().map(name => path.join(directory, name)) : [];
}

function readJournal(file: string): JournalRecord[] {
	return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as JournalRecord);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined) {
				return value;
			}
		} catch (error) {
			last = error;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}

	throw new Error(`Timed out waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}`);
}

/** A tmux server of our own (its own socket), killed in teardown. */
function terminal(t: ExecutionContext, size: {columns: number; rows: number}) {
	const socket = `sedai-monitor-test-${process.pid}-${randomBytes(3).toString('hex')}`;
	// With tmux 3.3 an exited pane's process is sometimes left unreaped (no exit status): the
	// shell around the command writes the status to a file instead.
	const statusFile = path.join(temporaryDirectory('sedai-monitor-status-'), 'status');
	const tmux = async (...args: string[]) => {
		const result = await execa('tmux', ['-L', socket, ...args]);
		return result.stdout;
	};

	t.teardown(async () => {
		await execa('tmux', ['-L', socket, 'kill-server'], {reject: false});
		removeTree(path.dirname(statusFile));
	});
	return {
		async start(environment: Record<string, string>, args: string[]) {
			const env = Object.entries(environment).map(([key, value]) => `${key}=${value}`);
			// `env -i`: the tmux server's own environment must not leak in (LANG, NO_COLOR …).
			await tmux('new-session', '-d', '-s', 'm', '-x', String(size.columns), '-y', String(size.rows), 'env', '-i', `PATH=${process.env['PATH'] ?? ''}`, ...env, 'sh', '-c', `"$@"; echo $? > ${statusFile}; sleep 600`, 'sh', process.execPath, cliPath, ...args);
		},
		screen: async (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'm'),
		keys: async (...keys: string[]) => tmux('send-keys', '-t', 'm', ...keys),
		/** The command's exit status once it has ended. */
		exitStatus: () => (fs.existsSync(statusFile) ? fs.readFileSync(statusFile, 'utf8').trim() || undefined : undefined),
	};
}

test('a backup journals start, progress and end; `sedai monitor` in a terminal shows the job, the cartridge and the log, and q quits', async t => {
	const w = await world(t, 24);
	const backup = await sedai(['backup', w.source, '--repo', w.repo, '--json'], {home: w.home, passphrase});
	t.is(backup.exitCode, 0, `${backup.stderr}`);
	// `init` is not a job; the backup is.
	const files = journals(w.home);
	t.is(files.length, 1);
	t.regex(path.basename(files[0]), /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-\d+-backup\.jsonl$/);
	const records = readJournal(files[0]);
	t.like(records[0], {type: 'start', kind: 'backup', label: w.label, repository: w.repo});
	t.true(records.some(record => record.type === 'progress' && record.bytesDone > 0));
	t.true(records.some(record => record.type === 'phase'));
	const end = records.at(-1)!;
	t.like(end, {type: 'end', ok: true, status: 'ok', exitCode: 0});
	// The operation's typed result: one target, sealed, with the generation's figures.
	const {result} = (end as {result?: {targets: Array<{label: string; status: string; generation: {files: number}}>}});
	t.is(result?.targets[0].label, w.label);
	t.is(result?.targets[0].status, 'sealed');
	t.is(result?.targets[0].generation.files, 26);

	const term = terminal(t, {columns: 100, rows: 30});
	await term.start({CI: 'false', TERM: 'xterm-256color', LANG: 'C.UTF-8', SEDAI_HOME: w.home}, ['monitor']);
	const screen = await until('the job and the cartridge on the monitor', async () => {
		const text = await term.screen();
		return text.includes(`✓ done        backup ${w.label}`) && text.includes(`${w.label}`) && text.includes('● online') && text.includes('finished OK') ? text : undefined;
	});
	t.regex(screen, /Sedai monitor · .* · no job running/);
	t.regex(screen, /generation [\da-f]{8} \(#1\): 26 files, 24\.0 MiB/);
	t.regex(screen, new RegExp(String.raw`${w.label} +● online +just now +1`));
	t.regex(screen, /┌─ › \[Jobs] ─/);
	t.regex(screen, /q quit {2}· {2}Tab next panel \(Jobs\)/);
	// Tab moves the focus (shown by a pointer and brackets, not only colour).
	await term.keys('Tab');
	await until('focus on the cartridges', async () => {
		const text = await term.screen();
		return text.includes('› [Cartridges]') ? true : undefined;
	});
	await term.keys('q');
	t.is(await until('the monitor to exit', () => term.exitStatus()), '0');
});

test('a running backup shows live on the monitor with its gauge; killed, it shows as interrupted', async t => {
	const w = await world(t, 400);
	// A first small backup makes the cartridge known (the local state learns it from a job).
	const first = await sedai(['backup', path.join(w.source, '患者'), '--repo', w.repo], {home: w.home, passphrase});
	t.is(first.exitCode, 0, `${first.stderr}`);
	// Wide layout this time.
	const term = terminal(t, {columns: 160, rows: 40});
	await term.start({CI: 'false', TERM: 'xterm-256color', LANG: 'C.UTF-8', SEDAI_HOME: w.home}, ['monitor']);
	await until('the monitor to start', async () => {
		const text = await term.screen();
		return text.includes('no job running') ? true : undefined;
	});
	const job = sedaiProcess(['backup', w.source, '--repo', w.repo], {home: w.home, passphrase});
	t.teardown(() => job.kill('SIGKILL'));
	// Freeze the backup once it reports a tenth of the data read (the gauge then shows a bar and a
	// percentage above 0), so the screen can be read at leisure.
	await until('progress in the journal', () => {
		const file = journals(w.home)[1];
		return file && readJournal(file).some(record => record.type === 'progress' && record.phase === 'read' && record.bytesDone * 10 >= record.bytesTotal && record.bytesTotal > 0) ? true : undefined;
	}, 60_000);
	job.kill('SIGSTOP');
	const expected = [
		new RegExp(String.raw`▶ running {5}backup ${w.label} {2}█+░* +[1-9]\d?%`),
		/Sedai monitor · .* · ▶ 1 running/,
		/ {3}read · [\d.]+ MiB\/400 MiB · \d+\/120 files · .*dump-\d+\.bin/,
		/✓ done {8}backup MON-\w+ {2}finished/,
		new RegExp(String.raw`${w.label} +▶ backup`),
		new RegExp(String.raw`▶ backup ${w.label} started \(pid ${job.pid}\)`),
	];
	let latest = '';
	const running = await until('the running job on the monitor', async () => {
		latest = await term.screen();
		return expected.every(pattern => pattern.test(latest)) ? latest : undefined;
	}).catch((error: unknown) => {
		t.log(latest);
		throw error;
	});
	t.truthy(running);
	job.kill('SIGKILL');
	await job;
	const interrupted = await until('the interrupted job on the monitor', async () => {
		const text = await term.screen();
		return text.includes(`! interrupted backup ${w.label}`) ? text : undefined;
	});
	t.regex(interrupted, new RegExp(String.raw`process ${job.pid} ended without a result during read`));
	t.regex(interrupted, /! 1 interrupted/);
});

test('LANG=C and NO_COLOR: the monitor draws in ASCII without colour', async t => {
	const w = await world(t, 4);
	const backup = await sedai(['backup', w.source, '--repo', w.repo], {home: w.home, passphrase});
	t.is(backup.exitCode, 0, `${backup.stderr}`);
	const term = terminal(t, {columns: 80, rows: 24});
	await term.start({CI: 'false', TERM: 'xterm-256color', LANG: 'C', NO_COLOR: '1', SEDAI_HOME: w.home}, ['monitor']);
	const screen = await until('the finished job in ASCII', async () => {
		const text = await term.screen();
		return text.includes(`+ done        backup ${w.label}`) ? text : undefined;
	});
	t.regex(screen, /Sedai monitor - .* - no job running/);
	t.regex(screen, new RegExp(String.raw`${w.label} +\* online`));
	// Every character on the screen is ASCII (borders come as the terminal's line-drawing set).
	t.notRegex(screen, /[^\u0000-\u007F]/, `${screen}`);
	// Bold and inverse are fine; no foreground or background colour at all.
	const raw = await term.screen(true);
	const sgr = raw.match(/\u001B\[[\d;]*m/g) ?? [];
	t.true(sgr.length > 0);
	t.deepEqual(sgr.filter(code => /[[;](3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)/.test(code)), []);
});

test('without an interactive terminal `sedai monitor` refuses politely with exit code 2 and points to --json commands', async t => {
	const home = temporaryDirectory('sedai-monitor-home-');
	t.teardown(() => {
		removeTree(home);
	});
	const result = await sedai(['monitor'], {home});
	t.is(result.exitCode, 2);
	t.is(result.stderr.trim(), 'sedai: sedai monitor needs an interactive terminal; use `sedai cartridges --json`, `sedai generations --json` or a job\'s own --json output for scripts.');
	t.is(result.stdout, '');
	t.false(fs.existsSync(path.join(home, 'jobs')));
});
