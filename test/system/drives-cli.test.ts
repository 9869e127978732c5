import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {StateStore} from '../../source/settings/state.js';
import type {Drive, DriveReport} from '../../source/system/types.js';
import {cartridgeWithRepository, env, scratchFolder, uniqueLabel} from './cartridge-setup.js';

test('`sedai drives --json` lists two loop cartridges (ext4, exFAT) with their repositories and generations', async t => {
	const home = `${await scratchFolder(t, 'sedai-home-')}/home`;
	const a = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('DRV-A'), home});
	const b = await cartridgeWithRepository(t, {fsType: 'exfat', label: uniqueLabel('DRV-B'), home});
	const result = await sedai(['drives', '--json'], env(home));
	t.is(result.exitCode, 0, `${result.stderr}`);
	const report = result.summary as unknown as DriveReport & {ok: boolean};
	t.true(report.ok);
	t.is(report.source, 'linux');
	const byDevice = (device: string) => report.drives.find((drive: Drive) => drive.path === device);
	for (const [item, fsType] of [[a, 'ext4'], [b, 'exfat']] as const) {
		const drive = byDevice(item.cartridge.device);
		t.truthy(drive, `${item.cartridge.device} is listed`);
		t.is(drive!.transport, 'loop');
		t.false(drive!.writeProtected);
		t.is(drive!.smart.verdict, 'unknown');
		t.is(drive!.backingFile, item.cartridge.image);
		const filesystem = drive!.filesystems.find(entry => entry.mountpoint === item.cartridge.mountpoint);
		t.is(filesystem?.fsType, fsType);
		t.false(filesystem!.readOnly);
		t.true((filesystem!.available ?? 0) > 0);
		const repository = filesystem!.repositories.find(entry => entry.id === item.repository.id);
		t.is(repository?.label, item.label);
		t.is(repository?.path, item.repoPath);
		t.is(repository?.generations, 1);
		t.true(repository!.encrypted);
		t.truthy(repository?.newest);
	}

	// One record line per drive, then the summary.
	t.true(result.lines.filter(line => line['type'] === 'drive').length >= 2);
	t.is(result.lines.at(-1)?.['type'], 'summary');
	// The local memory now knows both cartridges, by repository id.
	const state = new StateStore(home);
	t.is(state.cartridge(a.repository.id)?.lastMount, a.cartridge.mountpoint);
	t.is(state.cartridge(b.repository.id)?.fsType, 'exfat');
	t.is(state.cartridge(b.repository.id)?.offlineSince, undefined);
});

test('human `sedai drives` names each cartridge and its repository', async t => {
	const home = `${await scratchFolder(t, 'sedai-home-')}/home`;
	const a = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('TXT-A'), home});
	const result = await sedai(['drives'], env(home));
	t.is(result.exitCode, 0, `${result.stderr}`);
	t.regex(result.stdout, new RegExp(String.raw`Sedai repository "${a.label}" \(id ${a.repository.id.slice(0, 8)}\) at ${a.repoPath}: 1 generation`));
	t.true(result.stdout.includes(`image ${a.cartridge.image}`));
});

test('a cartridge unplugged behind Sedai\'s back is marked offline ("disappeared") on the next look', async t => {
	const home = `${await scratchFolder(t, 'sedai-home-')}/home`;
	const a = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('GONE'), home});
	const first = await sedai(['drives', '--json'], env(home));
	t.is(first.exitCode, 0);
	await a.cartridge.unmount();
	const result = await sedai(['cartridges', '--json'], env(home));
	t.is(result.exitCode, 0, `${result.stderr}`);
	const row = (result.summary!['cartridges'] as Array<Record<string, any>>).find(item => item['id'] === a.repository.id);
	t.false(row?.['online']);
	t.is(row?.['offlineReason'], 'disappeared');
	t.false(Number.isNaN(Date.parse(row?.['offlineSince'] as string)));
});

test('without smartctl (and blkid) `sedai drives` still lists drives and says what is missing and how to get it', async t => {
	const home = `${await scratchFolder(t, 'sedai-home-')}/home`;
	const a = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('NOSM'), home});
	// /usr/sbin holds smartctl and blkid on Debian: leave it out of PATH.
	const result = await sedai(['drives', '--json'], {...env(home), env: {PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`}});
	t.is(result.exitCode, 0, `${result.stderr}`);
	const warnings = result.lines.filter(line => line['type'] === 'warning').map(line => String(line['message']));
	t.true(warnings.some(message => message.includes('smartctl is not installed: apt-get install smartmontools')), `${warnings.join('\n')}`);
	t.true(warnings.some(message => message.includes('blkid is not installed: apt-get install util-linux')), `${warnings.join('\n')}`);
	const drive = (result.summary as unknown as DriveReport).drives.find(entry => entry.path === a.cartridge.device);
	t.truthy(drive);
	t.is(drive!.filesystems[0].repositories[0]?.id, a.repository.id);
});
