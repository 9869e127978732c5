import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {isSedaiError} from '../../source/core/errors.js';
import {fromText} from '../../source/core/byte-path.js';
import {clearExisting, prepareTarget} from '../../source/core/jobs/restore/target.js';
import {FolderMaker} from '../../source/core/jobs/restore/folders.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

function work(t: {teardown: (fn: () => void) => void}): string {
	const directory = temporaryDirectory();
	t.teardown(() => {
		removeTree(directory);
	});
	return directory;
}

const modeOf = (file: string) => fs.lstatSync(file).mode & 0o7777;

test('target: a recovery creates the folder; a non-empty one is refused unless forced', async t => {
	const root = work(t);
	const into = path.join(root, 'a', 'b');
	await prepareTarget(into, {force: false, purpose: 'recovery'});
	t.true(fs.statSync(into).isDirectory());
	fs.writeFileSync(path.join(into, 'x'), '');
	const error = await t.throwsAsync(prepareTarget(into, {force: false, purpose: 'recovery'}));
	t.true(isSedaiError(error));
	t.is((error as {code?: string}).code, 'target-not-empty');
	await t.notThrowsAsync(prepareTarget(into, {force: true, purpose: 'recovery'}));
	fs.writeFileSync(path.join(root, 'file'), '');
	const notFolder = await t.throwsAsync(prepareTarget(path.join(root, 'file'), {force: false, purpose: 'recovery'}));
	t.is((notFolder as {code?: string}).code, 'usage');
});

test('target: a test restore folder is 0700 whatever the umask, and an existing one is made 0700', async t => {
	const root = work(t);
	const previous = process.umask(0o000);
	try {
		await prepareTarget(path.join(root, 'fresh'), {force: false, purpose: 'test'});
	} finally {
		process.umask(previous);
	}

	t.is(modeOf(path.join(root, 'fresh')), 0o700);
	fs.mkdirSync(path.join(root, 'old'), {mode: 0o755});
	await prepareTarget(path.join(root, 'old'), {force: false, purpose: 'test'});
	t.is(modeOf(path.join(root, 'old')), 0o700);
	fs.mkdirSync(path.join(root, 'kept'));
	fs.chmodSync(path.join(root, 'kept'), 0o755);
	await prepareTarget(path.join(root, 'kept'), {force: false, purpose: 'recovery'});
	t.is(modeOf(path.join(root, 'kept')), 0o755, 'a recovery leaves the folder as it is');
});

test('clearExisting: files and links are removed without following; a folder in the way is refused', async t => {
	const root = work(t);
	fs.writeFileSync(path.join(root, 'outside.txt'), 'keep');
	fs.symlinkSync(path.join(root, 'outside.txt'), path.join(root, 'link'));
	fs.writeFileSync(path.join(root, 'old.txt'), 'old');
	await clearExisting([fromText(path.join(root, 'link')), fromText(path.join(root, 'old.txt')), fromText(path.join(root, 'absent'))]);
	t.false(fs.existsSync(path.join(root, 'link')));
	t.false(fs.existsSync(path.join(root, 'old.txt')));
	t.is(fs.readFileSync(path.join(root, 'outside.txt'), 'utf8'), 'keep');
	fs.mkdirSync(path.join(root, 'dir'));
	const inTheWay = await t.throwsAsync(clearExisting([fromText(path.join(root, 'dir'))]));
	t.is((inTheWay as {code?: string}).code, 'target-not-empty');
});

test('folders: parents are made 0700, and a symlink planted as a folder is refused', t => {
	const root = work(t);
	const folders = new FolderMaker(fromText(root));
	folders.parentOf(fromText('clinic/db/dump.sql'));
	t.true(fs.statSync(path.join(root, 'clinic', 'db')).isDirectory());
	t.is(modeOf(path.join(root, 'clinic', 'db')) & 0o077, 0, 'private until its own mode is set');
	fs.mkdirSync(path.join(root, 'elsewhere'));
	fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'clinic', 'trap'));
	const error = t.throws(() => {
		folders.parentOf(fromText('clinic/trap/file'));
	});
	t.true(isSedaiError(error));
	t.is((error as {code?: string}).code, 'unsafe-path');
});
