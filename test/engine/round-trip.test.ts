import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {displayName, makeTrickyTree, snapshotTree, removeTree, temporaryDirectory} from '../helpers/trees.js';

test('a tricky tree round-trips byte for byte: names, modes, mtimes, links, empty things, size boundaries', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	makeTrickyTree(source, {large: true});
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');

	t.is((await sedai(['init', repo, '--label', 'RT'], {home})).exitCode, 0);
	const backup = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(backup.exitCode, 0, backup.stderr);
	t.is(backup.summary?.['warnings'], 0);
	const into = path.join(work, 'restored');
	const restore = await sedai(['restore', 'latest', '--repo', repo, '--into', into, '--json'], {home});
	t.is(restore.exitCode, 0, restore.stdout + restore.stderr);
	t.is(restore.summary?.['mismatches'], 0);

	const before = snapshotTree(source);
	const after = snapshotTree(path.join(into, 'clinic'));
	t.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'the same names, as raw bytes');
	for (const [key, original] of before) {
		const restored = after.get(key)!;
		const name = displayName(key);
		t.is(restored.type, original.type, name);
		t.is(restored.mode, original.mode, `mode of ${name}`);
		t.is(restored.size, original.size, `size of ${name}`);
		t.is(restored.hash, original.hash, `content of ${name}`);
		t.is(restored.target, original.target, `link target of ${name}`);
		// A symlink's own mtime is set best-effort only (lutimes may be refused): not compared.
		const mtime = (entry: typeof original) => entry.type === 'symlink' ? 0 : Math.floor(entry.mtimeMs);
		t.is(mtime(restored), mtime(original), `mtime of ${name}`);
	}

	const hex = (name: string) => Buffer.from(name).toString('hex');
	t.is(after.get(hex('hard-a.txt'))!.ino, after.get(hex('hard-b.txt'))!.ino, 'hardlinks restored as one file');
	t.true(fs.lstatSync(path.join(into, 'clinic', 'absolute-link')).isSymbolicLink(), 'symlinks are restored as links, not followed');
	t.not(hex('データ'.normalize('NFC')), hex('データ'.normalize('NFD')));
	t.is(after.get(hex('診療記録/データ_ガイド.txt'.normalize('NFD')))!.hash, before.get(hex('診療記録/データ_ガイド.txt'.normalize('NFD')))!.hash);
	t.not(after.get(hex('診療記録/データ_ガイド.txt'.normalize('NFC')))!.hash, after.get(hex('診療記録/データ_ガイド.txt'.normalize('NFD')))!.hash);
});

test('restore of one subtree restores just that, under the same path', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	makeTrickyTree(source);
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	const into = path.join(work, 'part');
	const result = await sedai(['restore', 'latest', '--repo', repo, '--into', into, '--include', 'clinic/診療記録', '--json'], {home});
	t.is(result.exitCode, 0, result.stderr);
	t.deepEqual(fs.readdirSync(path.join(into, 'clinic')), ['診療記録']);
	t.is(fs.readdirSync(path.join(into, 'clinic', '診療記録')).length, 2);

	const missing = await sedai(['restore', 'latest', '--repo', repo, '--into', path.join(work, 'none'), '--include', 'clinic/nope', '--json'], {home});
	t.is(missing.exitCode, 1);
	t.regex(String(missing.lines.find(line => line['type'] === 'error')?.['message']), /has nothing at "clinic\/nope"/);
});

test('restore refuses a folder that is not empty unless --force, and --force replaces files without following links', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'src');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'a.txt'), 'from the backup\n');
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo], {home});
	await sedai(['backup', source, '--repo', repo], {home});

	const into = path.join(work, 'busy');
	fs.mkdirSync(path.join(into, 'src'), {recursive: true});
	const outside = path.join(work, 'outside.txt');
	fs.writeFileSync(outside, 'must not change\n');
	fs.symlinkSync(outside, path.join(into, 'src', 'a.txt'));

	const refused = await sedai(['restore', 'latest', '--repo', repo, '--into', into], {home});
	t.is(refused.exitCode, 1);
	t.regex(refused.stderr, /not empty.*--force/s);

	const forced = await sedai(['restore', 'latest', '--repo', repo, '--into', into, '--force'], {home});
	t.is(forced.exitCode, 0, forced.stderr);
	t.is(fs.readFileSync(outside, 'utf8'), 'must not change\n', 'the symlink was replaced, not written through');
	t.false(fs.lstatSync(path.join(into, 'src', 'a.txt')).isSymbolicLink());
	t.is(fs.readFileSync(path.join(into, 'src', 'a.txt'), 'utf8'), 'from the backup\n');
});
