import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {createLoopCartridge, requireLoopSupport} from '../helpers/loop-device.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

test('a cartridge too small for the data: a clear "no space" error, nothing sealed, earlier generations intact', async t => {
	requireLoopSupport();
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const cartridge = await createLoopCartridge({fsType: 'ext4', label: 'SMALL', sizeMiB: 32});
	t.teardown(async () => cartridge.cleanup());
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'note.txt'), 'first day\n');
	writeRandomFile(path.join(source, 'scan.jpg'), 2 * 1024 * 1024);
	const repo = path.join(cartridge.mountpoint, 'sedai');
	t.is((await sedai(['init', repo, '--label', 'SMALL'], {home})).exitCode, 0);
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);

	// 60 MB of incompressible data cannot fit on a 32 MiB filesystem.
	writeRandomFile(path.join(source, 'db', 'dump.bin'), 60 * 1024 * 1024);
	const full = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(full.exitCode, 1);
	const error = full.lines.find(line => line['type'] === 'error');
	t.is(error?.['code'], 'no-space', JSON.stringify(full.lines.slice(-3)));
	t.regex(String(error?.['message']), /No space left on the repository "SMALL"/);
	t.regex(String(error?.['message']), /prune old generations|larger medium/);
	const human = await sedai(['backup', source, '--repo', repo], {home});
	t.is(human.exitCode, 1);
	t.regex(human.stderr, /^sedai: No space left/m);
	t.notRegex(human.stderr, /at .*\.js:\d+/, 'no stack trace');

	const list = await sedai(['generations', '--repo', repo, '--json'], {home});
	t.is(list.summary?.['count'], 1, 'nothing was sealed');
	t.deepEqual(fs.readdirSync(path.join(repo, 'tmp')), [], 'no half-written temp files left behind');
	const verify = await sedai(['verify', '--repo', repo, '--full'], {home});
	t.is(verify.exitCode, 0, verify.stdout);
	const into = path.join(work, 'out');
	t.is((await sedai(['restore', 'latest', '--repo', repo, '--into', into], {home})).exitCode, 0);
	t.is(fs.readFileSync(path.join(into, 'clinic', 'note.txt'), 'utf8'), 'first day\n');

	// With the big file gone the cartridge works again, reusing what fit.
	fs.rmSync(path.join(source, 'db'), {recursive: true});
	fs.writeFileSync(path.join(source, 'note.txt'), 'second day\n');
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	t.is((await sedai(['verify', '--repo', repo, '--full'], {home})).exitCode, 0);
});
