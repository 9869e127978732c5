import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import test from 'ava';
import {fromText} from '../../source/core/byte-path.js';
import type {Entry} from '../../source/core/repository/manifest.js';
import {folderPrint, walkPrints} from '../../source/core/repository/walk-print.js';
import {sedai} from '../helpers/cli.js';
import {flipFileByte, repositoryFiles} from '../helpers/damage.js';
import {comparableTree, removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * Walk prints (walk-print.ts): a folder whose print is the parent generation's is kept whole, with
 * no tree below it read. Every change below it must still change its print; a repository that
 * lost blobs must still read again the files that lost them.
 */
const base: Entry = {path: fromText('r/a'), type: 'file', mode: 0o644, uid: 1, gid: 1, mtimeNs: 10n, ctimeNs: 20n, ino: 30, size: 40};

test('a folder print changes with every field change detection compares, and with a subfolder\'s print', t => {
	const printOf = (children: Entry[], sub = Buffer.alloc(16, 1)) => folderPrint(children, () => sub)!.toString('hex');
	const reference = printOf([base]);
	t.is(printOf([{...base}]), reference, 'same metadata, same print');
	const changes: Array<Partial<Entry>> = [{path: fromText('r/b')}, {mode: 0o600}, {uid: 2}, {gid: 2}, {mtimeNs: 11n}, {ctimeNs: 21n}, {ino: 31}, {size: 41}, {type: 'hardlink', target: fromText('r/z')}];
	for (const change of changes) {
		t.not(printOf([{...base, ...change}]), reference, JSON.stringify(change, (_key, value: unknown) => typeof value === 'bigint' ? String(value) : value));
	}

	t.not(printOf([base, {...base, path: fromText('r/b')}]), reference, 'a child added');
	const folder: Entry = {...base, type: 'dir', size: 0};
	t.not(printOf([folder]), printOf([folder], Buffer.alloc(16, 2)), 'a change below a subfolder');
	t.is(folderPrint([folder], () => undefined), undefined, 'a subfolder without a print gives none');
	// Children given out of order make the same print (the walk sorts them; a stream may not).
	const two = [base, {...base, path: fromText('r/b')}];
	t.is(printOf([...two].reverse()), printOf(two));
	const prints = walkPrints([{...folder, path: fromText('r')}, base, {...folder, path: fromText('r/s')}, {...base, path: fromText('r/s/x')}]);
	t.deepEqual([...prints.keys()].sort(), ['r', 'r/s']);
});

function setUp(t: {teardown: (fn: () => void) => void}) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	for (const folder of ['a/b/c', 'a/d', 'e']) {
		fs.mkdirSync(path.join(source, folder), {recursive: true});
		fs.writeFileSync(path.join(source, folder, 'scan.bin'), randomBytes(60_000));
	}

	return {work, source, home: path.join(work, 'home'), repo: path.join(work, 'repo')};
}

const readLine = (lines: Array<Record<string, unknown>>) => lines.find(line => line['type'] === 'phase' && line['phase'] === 'read')?.['message'];
const warnings = (lines: Array<Record<string, unknown>>) => lines.filter(line => line['type'] === 'warning').map(line => line['message']);

test('a no-change backup reads the root tree alone: a damaged tree below an unchanged folder is not even opened', async t => {
	const {source, home, repo} = setUp(t);
	await sedai(['init', repo], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	// The smallest pack holds the folder trees, deepest folder first: damage that first tree.
	const [treePack] = repositoryFiles(repo, 'data').sort((a, b) => fs.statSync(a).size - fs.statSync(b).size);
	flipFileByte(treePack, 16);

	const same = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(same.exitCode, 0, same.stdout + same.stderr);
	t.deepEqual(warnings(same.lines), []);
	t.is(readLine(same.lines), 'Backing up 0 changed file(s), 3 unchanged');
	// Verify still finds the damage: skipping it is change detection's shortcut, not a verdict.
	const verify = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.not(verify.exitCode, 0);
});

test('a file rewritten with its old mtime put back is read again: its ctime changed its folder\'s print and every print above', async t => {
	const {work, source, home, repo} = setUp(t);
	await sedai(['init', repo], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	const deep = path.join(source, 'a/b/c/scan.bin');
	const {atime, mtime} = fs.statSync(deep);
	fs.writeFileSync(deep, randomBytes(60_000));
	fs.utimesSync(deep, atime, mtime);
	fs.chmodSync(path.join(source, 'e'), 0o700);

	const next = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(next.exitCode, 0, next.stdout + next.stderr);
	t.is(readLine(next.lines), 'Backing up 1 changed file(s), 2 unchanged');
	const out = path.join(work, 'out');
	t.is((await sedai(['restore', 'latest', '--repo', repo, '--into', out], {home})).exitCode, 0);
	t.deepEqual(comparableTree(path.join(out, 'clinic')), comparableTree(source));
});

test('after repair quarantined a pack, files whose chunks it held are read again even below unchanged folders', async t => {
	const {work, source, home, repo} = setUp(t);
	await sedai(['init', repo], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	const [dataPack] = repositoryFiles(repo, 'data').sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
	const [firstIndex] = repositoryFiles(repo, 'index');
	// Nothing can locate the data pack's blobs any more: its index entry and its trailer are damaged.
	flipFileByte(firstIndex, 40);
	flipFileByte(dataPack, -20);
	t.is((await sedai(['repair', '--repo', repo], {home})).exitCode, 3);

	const healed = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(healed.exitCode, 0, healed.stdout + healed.stderr);
	t.is(readLine(healed.lines), 'Backing up 3 changed file(s), 0 unchanged');
	const out = path.join(work, 'out');
	const restore = await sedai(['restore', 'latest', '--repo', repo, '--into', out], {home});
	t.is(restore.exitCode, 0, restore.stdout + restore.stderr);
	t.deepEqual(comparableTree(path.join(out, 'clinic')), comparableTree(source));
});
