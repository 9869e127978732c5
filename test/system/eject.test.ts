import {spawn} from 'node:child_process';
import test from 'ava';
import {execa} from 'execa';
import {sedai} from '../helpers/cli.js';
import {Repository} from '../../source/core/repository/repository.js';
import {cartridgeWithRepository, env, passphrase, scratchFolder, uniqueLabel} from './cartridge-setup.js';

async function attached(image: string): Promise<boolean> {
	const {stdout} = await execa('losetup', ['-j', image]);
	return stdout.trim() !== '';
}

async function mounted(mountpoint: string): Promise<boolean> {
	const {stdout} = await execa('findmnt', ['-n', mountpoint], {reject: false});
	return stdout.trim() !== '';
}

test('eject by label: flushed, unmounted, loop detached, and `sedai cartridges` shows it offline since now', async t => {
	const home = `${await scratchFolder(t, 'sedai-home-')}/home`;
	const a = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('EJ-A'), home});
	const b = await cartridgeWithRepository(t, {fsType: 'exfat', label: uniqueLabel('EJ-B'), home});
	const first = await sedai(['drives', '--json'], env(home));
	t.is(first.exitCode, 0);
	const before = Date.now();
	const eject = await sedai(['eject', a.label, '--json'], env(home));
	t.is(eject.exitCode, 0, `${eject.stderr}${eject.stdout}`);
	t.deepEqual(eject.summary?.['steps'], ['flushed writes (sync)', `unmounted ${a.cartridge.mountpoint}`, `detached loop device ${a.cartridge.device}`]);
	t.false(await mounted(a.cartridge.mountpoint));
	t.false(await attached(a.cartridge.image));

	const cartridges = await sedai(['cartridges', '--json'], env(home));
	t.is(cartridges.exitCode, 0, `${cartridges.stderr}`);
	const rows = cartridges.summary?.['cartridges'] as Array<Record<string, any>>;
	const rowA = rows.find(row => row['id'] === a.repository.id)!;
	t.false(rowA['online']);
	t.is(rowA['offlineReason'], 'ejected');
	const since = Date.parse(rowA['offlineSince'] as string);
	t.true(since >= before - 1000 && since <= Date.now(), 'offline since the eject');
	t.is(rowA['generationCount'], 1);
	const rowB = rows.find(row => row['id'] === b.repository.id)!;
	t.true(rowB['online']);
	t.is(rowB['offlineSince'], undefined);

	// Plugged back in (the same image on a new loop device): online again, by repository id.
	const reattached = await execa('losetup', ['--find', '--show', a.cartridge.image]);
	t.teardown(async () => {
		await execa('umount', [a.cartridge.mountpoint], {reject: false});
		await execa('losetup', ['-d', reattached.stdout.trim()], {reject: false});
	});
	await execa('mount', [reattached.stdout.trim(), a.cartridge.mountpoint]);
	const again = await sedai(['cartridges', '--json'], env(home));
	const back = (again.summary?.['cartridges'] as Array<Record<string, any>>).find(row => row['id'] === a.repository.id)!;
	t.true(back['online']);
	t.is(back['offlineSince'], undefined);
});

test('eject is refused while a Sedai job holds the repository, and nothing is unmounted', async t => {
	const item = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('BUSY')});
	const repository = await Repository.open(item.repoPath, passphrase);
	const lock = await repository.lock('append', 'backup', () => undefined);
	t.teardown(async () => lock.release());
	const eject = await sedai(['eject', item.label, '--json'], env(item.home));
	t.is(eject.exitCode, 1);
	const error = eject.lines.find(line => line['type'] === 'error');
	t.is(error?.['code'], 'busy');
	t.regex(String(error?.['message']), new RegExp(String.raw`"${item.label}" is in use by sedai backup \(pid ${process.pid}`));
	t.true(await mounted(item.cartridge.mountpoint));
	t.true(await attached(item.cartridge.image));
});

test('eject is refused while a program has files open on the cartridge', async t => {
	const item = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('OPEN')});
	const holder = spawn('sleep', ['60'], {cwd: item.cartridge.mountpoint, stdio: 'ignore'});
	t.teardown(() => {
		holder.kill();
	});
	const eject = await sedai(['eject', item.cartridge.mountpoint], env(item.home));
	t.is(eject.exitCode, 1);
	t.regex(eject.stderr, /is busy: a program still has files open there/);
	t.true(await mounted(item.cartridge.mountpoint));
});

test('eject of something that is not a cartridge says so', async t => {
	const home = `${await scratchFolder(t, 'sedai-home-')}/home`;
	const unknown = await sedai(['eject', 'NO-SUCH-CARTRIDGE'], env(home));
	t.is(unknown.exitCode, 1);
	t.regex(unknown.stderr, /No connected cartridge is labelled "NO-SUCH-CARTRIDGE"/);
	const system = await sedai(['eject', '/', '--json'], env(home));
	t.is(system.exitCode, 2);
	t.regex(String(system.lines.find(line => line['type'] === 'error')?.['message']), /system disk/);
});
