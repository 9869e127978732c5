import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {createLoopCartridge, requireLoopSupport} from '../helpers/loop-device.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

test('a restore into a disk too small blames the destination disk, not the cartridge or the generation', async t => {
	requireLoopSupport();
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	writeRandomFile(path.join(source, 'scan.bin'), 24 * 1024 * 1024);
	writeRandomFile(path.join(source, 'dump.bin'), 24 * 1024 * 1024);
	const repo = path.join(work, 'repo');
	t.is((await sedai(['init', repo, '--plaintext'], {home})).exitCode, 0);
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	const small = await createLoopCartridge({fsType: 'ext4', label: 'SMALL', sizeMiB: 32});
	t.teardown(async () => small.cleanup());

	const json = await sedai(['restore', 'latest', '--repo', repo, '--into', path.join(small.mountpoint, 'out'), '--json'], {home});
	t.is(json.exitCode, 1, json.stdout.slice(-500));
	const end = json.lines.find(line => line['type'] === 'end');
	t.like(end, {status: 'failed', error: {code: 'no-space'}});
	t.regex(String((end?.['error'] as {message?: string}).message), /^No space left on the disk of the restore folder .*\/out\b.*restore into a folder on a larger disk; the repository and its generations are fine/);

	const human = await sedai(['restore', 'latest', '--repo', repo, '--into', path.join(small.mountpoint, 'deeper', 'out')], {home});
	t.is(human.exitCode, 1);
	t.regex(human.stderr, /^sedai: No space left on the disk of the restore folder/m);
	t.notRegex(human.stdout + human.stderr, /another generation or cartridge|MISMATCH|was the medium removed/);
	t.deepEqual(fs.readdirSync(path.join(repo, 'locks')), [], 'the read lock is released');
});
