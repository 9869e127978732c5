import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * Bad sectors that grow between two looks are called out, also for a disk whose serial lsblk
 * does not show (virtio, many USB bridges): the history is saved and looked up under one key.
 * A stand-in smartctl early on PATH answers for this machine's real disks with a recorded report.
 */
const fixture = fileURLToText('../fixtures/smartctl/healthy-sata-hdd.json');

function fileURLToText(relative: string): string {
	return fs.readFileSync(new URL(relative, import.meta.url), 'utf8');
}

function reportWith(reallocated: number): string {
	const data = JSON.parse(fixture) as {serial_number: string; ata_smart_attributes: {table: Array<{id: number; raw: {value: number; string: string}}>}};
	data.serial_number = 'DISK-SERIAL-7';
	for (const attribute of data.ata_smart_attributes.table.filter(item => item.id === 5)) {
		attribute.raw = {value: reallocated, string: String(reallocated)};
	}

	return JSON.stringify(data);
}

test('growing bad sectors are seen on the second look, whichever serial lsblk shows', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const bin = path.join(work, 'bin');
	fs.mkdirSync(bin);
	const report = path.join(work, 'report.json');
	fs.writeFileSync(path.join(bin, 'smartctl'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "smartctl 7.3"; exit 0; fi\ncat ${JSON.stringify(report)}\n`, {mode: 0o755});
	const env = {PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`};
	const home = path.join(work, 'home');

	fs.writeFileSync(report, reportWith(0));
	const first = await sedai(['drives', '--json'], {home, env});
	t.is(first.exitCode, 0, first.stderr);
	const history = JSON.parse(fs.readFileSync(path.join(home, 'smart-history.json'), 'utf8')) as Record<string, unknown>;
	t.deepEqual(Object.keys(history), ['DISK-SERIAL-7'], 'saved under the disk\'s own serial');

	fs.writeFileSync(report, reportWith(8));
	const second = await sedai(['drives', '--json'], {home, env});
	t.is(second.exitCode, 0, second.stderr);
	t.regex(second.stdout, /Bad sectors are growing since the last look \(remapped 0 → 8/);
});
