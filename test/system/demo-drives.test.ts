import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import type {DriveReport} from '../../source/system/types.js';
import {passphrase, scratchFolder} from './cartridge-setup.js';

/** A demo world by the shared layout: bays/<NAME>/{drive.json, media/sedai}. */
async function demoWorld(t: Parameters<typeof scratchFolder>[0]) {
	const demo = await scratchFolder(t, 'sedai-demo-');
	const source = path.join(demo, 'clinic');
	await fs.mkdir(source, {recursive: true});
	await fs.writeFile(path.join(source, 'レセプト.csv'), 'id,点数\n1,120\n');
	const bays = [
		{name: 'A', label: 'RDX-A', facts: {model: 'Tandberg RDX QuikStor', serial: 'RDX-0001', transport: 'usb', size: 1_000_204_886_016, removable: true, smartFixture: 'healthy-sata-hdd'}},
		{name: 'B', label: 'RDX-B', facts: {model: 'Tandberg RDX QuikStor', serial: 'RDX-0002', transport: 'usb', size: 500_107_862_016, removable: true, writeProtected: true, smartFixture: 'failing-usb-hdd'}},
	];
	for (const bay of bays) {
		const root = path.join(demo, 'bays', bay.name);
		await fs.mkdir(path.join(root, 'media'), {recursive: true});
		await fs.writeFile(path.join(root, 'drive.json'), JSON.stringify(bay.facts));
		const repository = await Repository.init(path.join(root, 'media', 'sedai'), {label: bay.label, passphrase});
		await runBackup(repository, {sources: [source]});
	}

	const env = {home: path.join(demo, 'home'), passphrase, env: {SEDAI_DEMO_DIR: demo}};
	return {demo, source, env};
}

test('demo bays are drives: SMART from the named fixture, write protection from drive.json', async t => {
	const {env} = await demoWorld(t);
	const result = await sedai(['drives', '--json'], env);
	t.is(result.exitCode, 0, `${result.stderr}`);
	const report = result.summary as unknown as DriveReport;
	t.is(report.source, 'demo');
	t.deepEqual(report.drives.map(drive => drive.name), ['A', 'B']);
	const [a, b] = report.drives;
	t.is(a.smart.verdict, 'ok');
	t.is(b.smart.verdict, 'failing');
	t.true(b.writeProtected);
	t.true(b.filesystems[0].readOnly);
	t.is(a.filesystems[0].repositories[0]?.label, 'RDX-A');
	t.is(a.filesystems[0].repositories[0]?.generations, 1);
});

test('demo: backup to the write-protected bay is refused; eject moves a bay to the shelf and marks it offline; insert brings it back', async t => {
	const {demo, source, env} = await demoWorld(t);
	const refused = await sedai(['backup', source, '--repo', path.join(demo, 'bays', 'B', 'media', 'sedai'), '--json'], env);
	t.is(refused.exitCode, 1);
	t.is(refused.lines.find(line => line['type'] === 'error')?.['code'], 'read-only');

	const eject = await sedai(['eject', 'RDX-A', '--json'], env);
	t.is(eject.exitCode, 0, `${eject.stderr}${eject.stdout}`);
	await t.throwsAsync(fs.access(path.join(demo, 'bays', 'A')));
	await fs.access(path.join(demo, 'shelf', 'A', 'media', 'sedai'));
	const cartridges = await sedai(['cartridges', '--json'], env);
	const rows = cartridges.summary?.['cartridges'] as Array<Record<string, any>>;
	const a = rows.find(row => row['label'] === 'RDX-A')!;
	t.false(a['online']);
	t.is(a['offlineReason'], 'ejected');
	t.truthy(Date.parse(a['offlineSince'] as string));
	t.true((a['generations'] as Array<Record<string, any>>).every(generation => generation['protectedBy'] === 'offline'));
	t.true(rows.find(row => row['label'] === 'RDX-B')!['online']);

	const insert = await sedai(['cartridges', '--mount', 'RDX-A', '--json'], env);
	t.is(insert.exitCode, 0, `${insert.stderr}`);
	await fs.access(path.join(demo, 'bays', 'A', 'media', 'sedai'));
	const back = (insert.summary?.['cartridges'] as Array<Record<string, any>>).find(row => row['label'] === 'RDX-A')!;
	t.true(back['online']);
});
