import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {flipFileByte, repositoryFiles} from '../helpers/damage.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

function setUp(t: {teardown: (fn: () => void) => void}) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	return {work, source, home: path.join(work, 'home'), repo: path.join(work, 'repo')};
}

const warningsOf = (lines: Array<Record<string, unknown>>, code: string) => lines.filter(line => line['type'] === 'warning' && line['code'] === code);

test('a damaged index file blocks nothing: backup, restore and prune warn once and go on; repair rewrites it and verify is clean again', async t => {
	const {work, source, home, repo} = setUp(t);
	fs.writeFileSync(path.join(source, 'chart.pdf'), randomBytes(200_000));
	await sedai(['init', repo], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	const [indexFile] = repositoryFiles(repo, 'index');
	flipFileByte(indexFile, 40);

	fs.writeFileSync(path.join(source, 'note.txt'), 'day two\n');
	const backup = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(backup.exitCode, 0, backup.stdout + backup.stderr);
	t.is(warningsOf(backup.lines, 'index-rebuilt').length, 1, 'said once');
	t.regex(String(warningsOf(backup.lines, 'index-rebuilt')[0]?.['message']), /sedai repair --repo/);

	const restore = await sedai(['restore', 'latest~1', '--repo', repo, '--into', path.join(work, 'out'), '--json'], {home});
	t.is(restore.exitCode, 0, restore.stdout + restore.stderr);
	t.is(warningsOf(restore.lines, 'index-rebuilt').length, 1);
	t.deepEqual(fs.readFileSync(path.join(work, 'out', 'clinic', 'chart.pdf')), fs.readFileSync(path.join(source, 'chart.pdf')));

	const verify = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.is(verify.exitCode, 3, 'the damaged file is still damage');
	t.true(verify.lines.some(line => line['type'] === 'problem' && String(line['message']).includes('sedai repair --repo')));
	t.false(verify.stdout.includes('verify --full'), 'the advice leads somewhere');

	const dryRun = await sedai(['repair', '--repo', repo, '--dry-run', '--json'], {home});
	t.is(dryRun.exitCode, 0);
	t.true(fs.existsSync(indexFile), 'a dry run changes nothing');
	const repair = await sedai(['repair', '--repo', repo, '--json'], {home});
	t.is(repair.exitCode, 0, repair.stdout + repair.stderr);
	t.deepEqual(repair.summary?.['damagedIndexFiles'], [path.basename(indexFile)]);
	t.false(fs.existsSync(indexFile), 'the damaged index file is gone once a new one names its packs');
	t.is((await sedai(['verify', '--repo', repo, '--full'], {home})).exitCode, 0);

	// Prune too: a damaged index is rebuilt from the trailers, then replaced by prune's own index.
	fs.writeFileSync(path.join(source, 'note.txt'), 'day three\n');
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	for (const file of repositoryFiles(repo, 'index')) {
		flipFileByte(file, 40);
	}

	const prune = await sedai(['prune', '--repo', repo, '--keep-last', '3', '--json'], {home});
	t.is(prune.exitCode, 0, prune.stdout + prune.stderr);
	t.is(warningsOf(prune.lines, 'index-rebuilt').length, 1);
	t.is((await sedai(['verify', '--repo', repo, '--full'], {home})).exitCode, 0, 'prune replaced the damaged index files');
});

test('a damaged newest generation does not stop backups: change detection falls back to the older one, repair names what was lost', async t => {
	const {source, home, repo} = setUp(t);
	fs.writeFileSync(path.join(source, 'big.bin'), randomBytes(300_000));
	await sedai(['init', repo, '--plaintext'], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	fs.writeFileSync(path.join(source, 'note.txt'), 'day two\n');
	const second = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	const newest = String(second.summary?.['generation']);
	const file = path.join(repo, 'generations', `${newest}.gen`);
	flipFileByte(file, -10);

	fs.writeFileSync(path.join(source, 'note.txt'), 'day three\n');
	const backup = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(backup.exitCode, 0, backup.stdout + backup.stderr);
	const [warning] = warningsOf(backup.lines, 'parent-unreadable');
	t.regex(String(warning?.['message']), /cannot be read, so changes are detected against generation \w+ \(#1\)/);
	t.is(backup.summary?.['unchangedFiles'], 1, 'big.bin was reused from #1, not read again');

	const repair = await sedai(['repair', '--repo', repo, '--json'], {home});
	t.is(repair.exitCode, 3, 'data was lost');
	t.deepEqual(repair.lines.filter(line => line['type'] === 'lost').map(line => line['id']), [path.basename(file, '.gen')]);
});

test('repair quarantines a pack nothing can read and names the files each generation lost', async t => {
	const {work, source, home, repo} = setUp(t);
	await sedai(['init', repo], {home});
	fs.writeFileSync(path.join(source, 'first.bin'), randomBytes(100_000));
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	// The first backup wrote a data pack and a (much smaller) pack of folder trees.
	const [firstPack] = repositoryFiles(repo, 'data').sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
	const [firstIndex] = repositoryFiles(repo, 'index');
	fs.writeFileSync(path.join(source, 'second.bin'), randomBytes(100_000));
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	// The first pack's index entry and its own trailer are both damaged: its blobs cannot be found.
	flipFileByte(firstIndex, 40);
	flipFileByte(firstPack, -20);

	const repair = await sedai(['repair', '--repo', repo, '--json'], {home});
	t.is(repair.exitCode, 3, repair.stdout + repair.stderr);
	t.deepEqual(repair.lines.filter(line => line['type'] === 'quarantined').map(line => line['pack']), [path.basename(firstPack)]);
	t.false(fs.existsSync(firstPack));
	t.true(fs.existsSync(path.join(repo, 'quarantine', path.basename(firstPack))), 'moved, never deleted');
	const lost = repair.lines.filter(line => line['type'] === 'lost');
	t.is(lost.length, 2, 'both generations held first.bin');
	for (const item of lost) {
		t.deepEqual(item['files'], ['clinic/first.bin']);
	}

	const restore = await sedai(['restore', 'latest', '--repo', repo, '--into', path.join(work, 'out'), '--include', 'clinic/second.bin'], {home});
	t.is(restore.exitCode, 0, restore.stdout + restore.stderr);
	t.deepEqual(fs.readFileSync(path.join(work, 'out', 'clinic', 'second.bin')), fs.readFileSync(path.join(source, 'second.bin')));
});
