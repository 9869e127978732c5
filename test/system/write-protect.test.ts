import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {assertWritableMedium, mediumOf} from '../../source/system/write-protect.js';
import type {DriveReport} from '../../source/system/types.js';
import {cartridgeWithRepository, env, uniqueLabel} from './cartridge-setup.js';

test('write-protect switch on (blockdev --setro): backup is refused, restore and verify still work', async t => {
	const item = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('WP')});
	await item.cartridge.setWriteProtect(true);
	const before = await fs.readdir(path.join(item.repoPath, 'generations'));

	const backup = await sedai(['backup', item.source, '--repo', item.repoPath, '--json'], env(item.home));
	t.is(backup.exitCode, 1);
	const error = backup.lines.find(line => line['type'] === 'error');
	t.is(error?.['code'], 'read-only');
	t.regex(String(error?.['message']), new RegExp(`"${item.label}".*write-protected.*restore .*still work`));
	t.regex(String(error?.['message']), new RegExp(item.cartridge.device));
	t.deepEqual(await fs.readdir(path.join(item.repoPath, 'generations')), before, 'nothing was written');

	const into = path.join(item.scratch, 'restored');
	const restore = await sedai(['restore', 'latest', '--repo', item.repoPath, '--into', into, '--json'], env(item.home));
	t.is(restore.exitCode, 0, `${restore.stderr}${restore.stdout}`);
	t.is(await fs.readFile(path.join(into, 'clinic', 'カルテ', '患者-0001.txt'), 'utf8'), '血圧 120/80\n');
	const verify = await sedai(['verify', '--repo', item.repoPath, '--json'], env(item.home));
	t.is(verify.exitCode, 0, `${verify.stderr}${verify.stdout}`);
	const ls = await sedai(['ls', 'latest', '--repo', item.repoPath], env(item.home));
	t.is(ls.exitCode, 0, `${ls.stderr}`);

	const drives = await sedai(['drives', '--json'], env(item.home));
	const drive = (drives.summary as unknown as DriveReport).drives.find(entry => entry.path === item.cartridge.device);
	t.true(drive?.writeProtected);
	t.true(drive?.filesystems[0]?.readOnly);
	t.regex(drive?.filesystems[0]?.readOnlyReason ?? '', /write-protect/);

	// Switch off: backing up works again.
	await item.cartridge.setWriteProtect(false);
	const again = await sedai(['backup', item.source, '--repo', item.repoPath, '--json'], env(item.home));
	t.is(again.exitCode, 0, `${again.stderr}${again.stdout}`);
});

test('a cartridge mounted read-only is refused with a remount hint', async t => {
	const item = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('RO')});
	await item.cartridge.unmount();
	await item.cartridge.mount({readOnly: true});
	const medium = await mediumOf(item.repoPath);
	t.true(medium.mountReadOnly);
	t.false(medium.hardwareReadOnly);
	const error = await t.throwsAsync(assertWritableMedium(item.repoPath, item.label));
	t.regex(error.message, /mounted read-only.*remount,rw/);
	const backup = await sedai(['backup', item.source, '--repo', item.repoPath], env(item.home));
	t.is(backup.exitCode, 1);
	t.regex(backup.stderr, /mounted read-only/);
	t.notRegex(backup.stderr, /\n\s+at /, 'no stack trace');
});
