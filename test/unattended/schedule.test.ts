import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {sedai} from '../helpers/cli.js';
import {removeTree} from '../helpers/trees.js';
import {folderSite} from './site.js';

/**
 * `sedai schedule install` writes units systemd accepts, and their ExecStart line, run exactly
 * as written with the unit's environment, performs the plan and journals it.
 */

/** Split an ExecStart= value the way systemd does for our quoting: "…" words, %% and $$ doubled. */
function systemdWords(value: string): string[] {
	const words: string[] = [];
	for (const match of value.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/gu)) {
		const word = match[1] === undefined ? match[2] : match[1].replaceAll(/\\(.)/gu, '$1');
		words.push(word.replaceAll('%%', '%').replaceAll('$$', '$'));
	}

	return words;
}

function unitValues(text: string, key: string): string[] {
	return text.split('\n').filter(line => line.startsWith(`${key}=`)).map(line => line.slice(key.length + 1));
}

test('installed units pass systemd-analyze verify, and their ExecStart runs the plan into the journal', async t => {
	const site = await folderSite({plans: [{name: 'nightly 夜間', targets: ['NAS']}]});
	t.teardown(() => {
		removeTree(site.root);
	});
	const units = path.join(site.root, 'units');
	const install = await sedai(['schedule', 'install', '--plan', 'nightly 夜間', '--at', '02:30', '--verify-full', 'weekly', '--unit-dir', units, '--json'], {home: site.home});
	t.is(install.exitCode, 0, install.stderr);
	const names = fs.readdirSync(units).sort();
	t.is(names.length, 4);
	const service = fs.readFileSync(path.join(units, names.find(name => name.startsWith('sedai-backup-') && name.endsWith('.service'))!), 'utf8');
	const timer = fs.readFileSync(path.join(units, names.find(name => name.startsWith('sedai-backup-') && name.endsWith('.timer'))!), 'utf8');
	t.deepEqual(unitValues(timer, 'OnCalendar'), ['*-*-* 02:30:00']);
	t.deepEqual(unitValues(timer, 'Persistent'), ['true']);
	for (const setting of ['Nice=10', 'IOSchedulingClass=idle', 'ProtectSystem=strict', 'NoNewPrivileges=yes']) {
		t.true(service.split('\n').includes(setting), setting);
	}

	t.true(unitValues(service, 'ReadWritePaths')[0].split(' ').includes(site.home));

	// Needs the systemd package (CI installs it): a missing systemd-analyze fails here.
	const verify = await execa('systemd-analyze', ['verify', ...names.map(name => path.join(units, name))], {reject: false});
	t.is(verify.exitCode, 0, `${verify.stderr}${verify.failed && verify.exitCode === undefined ? ' (is systemd-analyze installed? apt-get install systemd)' : ''}`);
	t.is(verify.stderr.trim(), '', 'systemd-analyze has no complaint');

	const [command, ...args] = systemdWords(unitValues(service, 'ExecStart')[0]);
	const environment = Object.fromEntries(unitValues(service, 'Environment').map(value => systemdWords(value)[0].split(/=(.*)/su, 2) as [string, string]));
	t.is(environment['SEDAI_HOME'], site.home);
	const run = await execa(command, args, {env: {PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...environment}, extendEnv: false, reject: false});
	t.is(run.exitCode, 0, run.stderr);
	const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {type: string; ok: boolean; sealed: string[]};
	t.like(summary, {type: 'summary', ok: true, sealed: ['NAS']});
	const generations = await sedai(['generations', '--repo', site.nas, '--json'], {home: site.home});
	t.is(generations.lines.filter(line => line['type'] === 'generation').length, 1, generations.stdout);
	const journals = fs.readdirSync(path.join(site.home, 'jobs')).filter(name => name.endsWith('-backup.jsonl'));
	t.is(journals.length, 1);
	const end = JSON.parse(fs.readFileSync(path.join(site.home, 'jobs', journals[0]), 'utf8').trim().split('\n').at(-1)!) as {type: string; ok: boolean};
	t.like(end, {type: 'end', ok: true});

	const list = await sedai(['schedule', 'list', '--unit-dir', units, '--json'], {home: site.home});
	t.deepEqual((list.summary!['schedules'] as Array<{plan: string; kind: string; at: string}>).map(entry => [entry.plan, entry.kind, entry.at]), [['nightly 夜間', 'backup', '02:30'], ['nightly 夜間', 'verify', '04:30']]);
	const remove = await sedai(['schedule', 'remove', '--plan', 'nightly 夜間', '--unit-dir', units], {home: site.home});
	t.is(remove.exitCode, 0, remove.stderr);
	t.deepEqual(fs.readdirSync(units), []);
});

test('the weekly verification service runs sedai verify --full on the folder target', async t => {
	const site = await folderSite();
	t.teardown(() => {
		removeTree(site.root);
	});
	const units = path.join(site.root, 'units');
	t.is((await sedai(['schedule', 'install', '--plan', 'nightly', '--at', '23:15', '--verify-full', 'weekly', '--unit-dir', units], {home: site.home})).exitCode, 0);
	const service = fs.readFileSync(path.join(units, 'sedai-verify-nightly.service'), 'utf8');
	t.deepEqual(unitValues(fs.readFileSync(path.join(units, 'sedai-verify-nightly.timer'), 'utf8'), 'OnCalendar'), ['Sun *-*-* 01:15:00']);
	const [command, ...args] = systemdWords(unitValues(service, 'ExecStart')[0]);
	t.deepEqual(args.slice(1), ['verify', '--full', '--repo', site.nas, '--json']);
	const run = await execa(command, args, {env: {SEDAI_HOME: site.home}, reject: false});
	t.is(run.exitCode, 0, run.stderr);
});

test('bad input gets one sentence: unknown plan, bad time', async t => {
	const site = await folderSite();
	t.teardown(() => {
		removeTree(site.root);
	});
	const units = path.join(site.root, 'units');
	const unknown = await sedai(['schedule', 'install', '--plan', 'weekend', '--at', '02:30', '--unit-dir', units], {home: site.home});
	t.is(unknown.exitCode, 2);
	t.regex(unknown.stderr, /no backup plan "weekend" \(plans: nightly\)/u);
	const time = await sedai(['schedule', 'install', '--plan', 'nightly', '--at', '25:00', '--unit-dir', units], {home: site.home});
	t.is(time.exitCode, 2);
	t.regex(time.stderr, /HH:MM/u);
	t.false(fs.existsSync(units));
});

// With systemd running, the fallback cannot be reached without touching the real system.
const withoutSystemd = fs.existsSync('/run/systemd/system') ? test.skip : test;

withoutSystemd('where systemd does not run, the system unit folder means a cron line, and the command says so', async t => {
	const site = await folderSite();
	t.teardown(() => {
		removeTree(site.root);
	});
	const cron = path.join(site.root, 'cron.d');
	const install = await sedai(['schedule', 'install', '--plan', 'nightly', '--at', '02:30', '--unit-dir', '/etc/systemd/system', '--cron-dir', cron], {home: site.home});
	t.is(install.exitCode, 0, install.stderr);
	t.regex(install.stdout, /systemd is not running here: a cron line was written instead/u);
	const line = fs.readFileSync(path.join(cron, 'sedai-nightly'), 'utf8').split('\n').find(text => /^\d/u.test(text))!;
	t.regex(line, /^30 2 \* \* \* root SEDAI_HOME=\S+ \S+node \S+cli\.js backup --plan nightly --json /u);
	const run = await execa('/bin/sh', ['-c', line.split(' ').slice(6).join(' ').replace(/ >\/dev\/null 2>&1$/u, '')], {reject: false});
	t.is(run.exitCode, 0, run.stderr);
	t.true(fs.readdirSync(path.join(site.home, 'jobs')).some(name => name.endsWith('-backup.jsonl')));
});
