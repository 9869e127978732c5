import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {flipFileByte, repositoryFiles} from '../helpers/damage.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

test('verify --full checks every byte of a pack: a flipped header marker and a flipped trailer byte are both damage', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	const repo = path.join(work, 'repo');
	await sedai(['init', repo], {home});
	fs.writeFileSync(path.join(source, 'first.bin'), randomBytes(100_000));
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	fs.writeFileSync(path.join(source, 'second.bin'), randomBytes(100_000));
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	t.is((await sedai(['verify', '--repo', repo, '--full'], {home})).exitCode, 0, 'clean before the damage');

	const [first, second] = repositoryFiles(repo, 'data');
	flipFileByte(first, 2);
	flipFileByte(second, -20);
	const full = await sedai(['verify', '--repo', repo, '--full', '--json'], {home});
	t.is(full.exitCode, 3);
	const problems = full.lines.filter(line => line['type'] === 'problem');
	t.true(problems.some(line => line['pack'] === path.basename(first) && String(line['message']).includes('header is damaged')));
	t.true(problems.some(line => line['pack'] === path.basename(second) && String(line['message']).includes('trailer is damaged')));
});
