import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {cliPath, parseLines, sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';
import {folderSite} from '../unattended/site.js';

/**
 * A backup that could not read what it was asked to read never passes for a good one: exit 4
 * "completed with omissions", `ok: false`, the missing items named, and the status file says so.
 * A source given as a symlink to its folder is that folder, not one link.
 */
const nobody = 65_534;

/** Root without the capabilities that let it read anyone's files: what a folder it may not read looks like. */
async function backupWithoutReadCapabilities(args: string[], home: string): Promise<{exitCode: number; stdout: string; stderr: string}> {
	const result = await execa('setpriv', ['--bounding-set', '-dac_override,-dac_read_search', '--', 'node', cliPath, ...args], {env: {SEDAI_HOME: home, NO_COLOR: '1'}, reject: false, stdin: 'ignore'});
	return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)};
}

/** A folder so deep its path is longer than PATH_MAX (4096 bytes). */
function makeDeepTree(root: string): string {
	let folder = path.join(root, 'deep');
	fs.mkdirSync(folder);
	const name = 'd'.repeat(250);
	for (let depth = 0; depth < 18; depth++) {
		fs.mkdirSync(path.join(folder, name));
		// Relative steps: the absolute path soon exceeds what one call may name.
		process.chdir(folder);
		folder = name;
	}

	process.chdir(folder);
	fs.writeFileSync('too-deep.txt', 'lost\n');
	process.chdir(root);
	return path.join(root, 'deep');
}

test('a source that is a symlink to its folder is backed up as that folder, with a note', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	fs.mkdirSync(path.join(work, 'data', 'export', 'sub'), {recursive: true});
	fs.writeFileSync(path.join(work, 'data', 'export', 'chart.xml'), '<chart/>\n');
	fs.writeFileSync(path.join(work, 'data', 'export', 'sub', 'scan.txt'), 'scan\n');
	fs.symlinkSync('data/export', path.join(work, 'ehr'));
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});

	const backup = await sedai(['backup', path.join(work, 'ehr'), '--repo', repo, '--json'], {home});
	t.is(backup.exitCode, 0, backup.stdout);
	t.is(backup.summary?.['files'], 2);
	const note = backup.lines.find(line => line['code'] === 'source-symlink');
	t.regex(String(note?.['message']), /The source .*\/ehr is a symlink to data\/export: backed up what it names, stored as "ehr"/);
	const into = path.join(work, 'out');
	t.is((await sedai(['restore', 'latest', '--repo', repo, '--into', into], {home})).exitCode, 0);
	t.is(fs.readFileSync(path.join(into, 'ehr', 'sub', 'scan.txt'), 'utf8'), 'scan\n');
	t.false(fs.lstatSync(path.join(into, 'ehr')).isSymbolicLink());
});

test('an unreadable folder and an over-long path: exit 4 "completed with omissions", ok false, named, and in sedai status', async t => {
	const site = await folderSite();
	// Coreutils' rm walks down by relative names; Node's cannot remove paths past PATH_MAX.
	t.teardown(async () => {
		await execa('chattr', ['-R', '-i', site.nas], {reject: false});
		await execa('rm', ['-rf', site.root]);
	});
	const locked = path.join(site.source, 'locked');
	fs.mkdirSync(locked);
	fs.writeFileSync(path.join(locked, 'referral.pdf'), 'referral\n');
	// The first night everything is readable.
	t.is((await sedai(['backup', '--plan', 'nightly'], {home: site.home})).exitCode, 0);

	fs.chownSync(locked, nobody, nobody);
	fs.chmodSync(locked, 0o700);
	const deep = makeDeepTree(site.source);
	fs.chmodSync(site.root, 0o755);
	const json = await backupWithoutReadCapabilities(['backup', '--plan', 'nightly', '--json'], site.home);
	t.is(json.exitCode, 4, json.stderr);
	const lines = parseLines(json.stdout);
	t.like(lines.find(line => line['type'] === 'end'), {status: 'omissions', exitCode: 4});
	const summary = lines.findLast(line => line['type'] === 'summary')!;
	t.false(summary['ok']);
	t.is(summary['omitted'], 2);
	t.true((summary['missing'] as string[]).includes(locked));
	t.true((summary['missing'] as string[]).some(item => item.startsWith(path.join(deep, 'd'))));

	const human = await backupWithoutReadCapabilities(['backup', '--plan', 'nightly'], site.home);
	t.is(human.exitCode, 4);
	t.true(human.stdout.includes(`Completed with omissions: 2 item(s) could not be read and are NOT in these generations: ${locked}, ${deep}/ddd`), human.stdout);

	const status = await sedai(['status'], {home: site.home});
	t.is(status.exitCode, 1, 'the night with omissions is a problem');
	t.regex(status.stdout, /^PROBLEM {2}plan "nightly": omissions, /m);
	t.true(status.stdout.includes(`completed with omissions: 2 item(s) could not be read and are NOT in the generation: ${locked}`), status.stdout);
	const file = JSON.parse(fs.readFileSync(path.join(site.home, 'status.json'), 'utf8')) as {plans: Record<string, {ok: boolean; omitted?: number}>};
	t.like(file.plans['nightly'], {ok: false, omitted: 2});
});
