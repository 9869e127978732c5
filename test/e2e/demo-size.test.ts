import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {addImaging, parseSize} from '../../source/demo/imaging.js';
import {demoHomeToFollow, noteDemoConsole} from '../../source/demo/follow-demo.js';
import {demoWorld} from '../../source/demo/world.js';
import {cliPath, sedai} from '../helpers/cli.js';
import {startTerminal, type Terminal} from '../helpers/tmux.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * `sedai demo --size` builds a clinic of at least that size whose newest generations hold it
 * (so backup, verify and restore have seconds of work), the same bytes on every run; and
 * `sedai monitor` finds the demo with no SEDAI_HOME, as a technician would start it.
 */
const mebibyte = 1024 * 1024;
let root: string;
let terminal: Terminal | undefined;
// Where the demo lives with no SEDAI_DEMO_DIR: $XDG_DATA_HOME/sedai/demo.
const demoEnvironment = () => ({XDG_DATA_HOME: path.join(root, 'data'), XDG_CONFIG_HOME: path.join(root, 'config'), SEDAI_HOME: undefined, SEDAI_DEMO_DIR: undefined});

function treeBytes(folder: string): number {
	return fs.readdirSync(folder, {withFileTypes: true}).reduce((total, entry) => {
		const full = path.join(folder, entry.name);
		return total + (entry.isDirectory() ? treeBytes(full) : (entry.isFile() ? fs.statSync(full).size : 0));
	}, 0);
}

test.before(() => {
	root = temporaryDirectory('sedai-demo-size-');
});

test.after.always(() => {
	terminal?.kill();
	removeTree(root);
});

test('sizes read as a technician writes them; anything else is refused with one sentence', async t => {
	t.is(parseSize('64MB'), 64 * mebibyte);
	t.is(parseSize('2GB'), 2 * 1024 * mebibyte);
	t.is(parseSize('1.5g'), 1.5 * 1024 * mebibyte);
	t.is(parseSize('500 MiB'), 500 * mebibyte);
	t.is(parseSize('lots'), undefined);
	t.is(parseSize('0MB'), undefined);
	const bad = await sedai(['demo', '--size', '2XB', '--no-tui'], {home: path.join(root, 'unused'), env: demoEnvironment()});
	t.is(bad.exitCode, 2);
	t.is(bad.stderr.trim(), 'sedai: --size 2XB is not a size: write it as e.g. --size 500MB or --size 2GB.');
});

test('the bulk is the same bytes on every run', async t => {
	const digest = async (folder: string) => {
		await addImaging(folder, 9 * mebibyte, {epoch: Date.UTC(2026, 0, 5)});
		const hash = createHash('sha256');
		for (const file of fs.readdirSync(path.join(folder, 'imaging'), {recursive: true, encoding: 'utf8'}).sort()) {
			const full = path.join(folder, 'imaging', file);
			if (fs.statSync(full).isFile()) {
				hash.update(file).update(fs.readFileSync(full));
			}
		}

		return hash.digest('hex');
	};

	t.is(await digest(path.join(root, 'bulk-a')), await digest(path.join(root, 'bulk-b')));
	t.true(treeBytes(path.join(root, 'bulk-a')) >= 9 * mebibyte);
});

test.serial('sedai demo --size 64MB: a clinic of at least 64 MiB, held by the newest generation, last night clean', async t => {
	const build = await sedai(['demo', '--size', '64MB', '--no-tui', '--json'], {home: path.join(root, 'unused'), env: demoEnvironment()});
	t.is(build.exitCode, 0, build.stderr);
	const world = demoWorld(path.join(root, 'data', 'sedai', 'demo'));
	t.is(build.summary?.['home'], world.home);
	t.true(treeBytes(world.clinic) >= 64 * mebibyte, `${treeBytes(world.clinic)} bytes`);

	const generations = await sedai(['generations', '--repo', world.nas, '--json'], {home: world.home, passphrase: 'sedai-demo'});
	t.is(generations.exitCode, 0, generations.stderr);
	const newest = generations.lines.findLast(line => line['type'] === 'generation')!;
	t.true(Number(newest['bytes']) >= 64 * mebibyte, JSON.stringify(newest));
	t.not(newest['suspect'], true, 'a day of new scans is not an attack');
	const status = JSON.parse(fs.readFileSync(path.join(world.home, 'status.json'), 'utf8')) as {plans: Record<string, {ok: boolean; suspect: boolean}>};
	t.like(status.plans['nightly'], {ok: true, suspect: false});

	// The same size again: the world is kept, not rebuilt.
	const marker = fs.readFileSync(path.join(world.root, 'world.json'), 'utf8');
	const again = await sedai(['demo', '--size', '64MB', '--no-tui'], {home: path.join(root, 'unused'), env: demoEnvironment()});
	t.is(again.exitCode, 0, again.stderr);
	t.is(fs.readFileSync(path.join(world.root, 'world.json'), 'utf8'), marker);
});

test.serial('the monitor follows the demo: while its console runs, or when the machine has no site of its own', t => {
	const saved = {...process.env};
	t.teardown(() => {
		process.env = saved;
	});
	Object.assign(process.env, demoEnvironment());
	delete process.env['SEDAI_HOME'];
	delete process.env['SEDAI_DEMO_DIR'];
	const world = demoWorld();
	t.is(world.root, path.join(root, 'data', 'sedai', 'demo'));
	t.is(demoHomeToFollow(), world.home, 'no site settings here: the demo');

	const own = path.join(root, 'config', 'sedai');
	fs.mkdirSync(own, {recursive: true});
	fs.writeFileSync(path.join(own, 'settings.json'), '{}');
	t.is(demoHomeToFollow(), undefined, 'a site of its own and no demo console: the site');
	const forget = noteDemoConsole(world);
	t.is(demoHomeToFollow(), world.home, 'the demo console runs: the demo');
	t.is(demoHomeToFollow({...process.env, SEDAI_HOME: own}), undefined, 'SEDAI_HOME always wins');
	forget();
	t.is(demoHomeToFollow(), undefined);
	fs.rmSync(path.join(own, 'settings.json'));
});

test.serial('sedai monitor in a terminal, with no SEDAI_HOME, shows the demo clinic and its cartridges', async t => {
	const environment = Object.entries(demoEnvironment()).filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${value!}`).join(' ');
	terminal = startTerminal(`sedai-demo-monitor-${process.pid}`, `env -u SEDAI_HOME -u SEDAI_DEMO_DIR CI=false LANG=C.UTF-8 TERM=xterm-256color ${environment} node ${cliPath} monitor; sleep 600`, {columns: 120, rows: 40});
	const screen = await terminal.waitFor({test: text => text.includes('Sakura Clinic (demo)') && text.includes('RDX-B')});
	t.regex(screen, /RDX-A/u);
});
