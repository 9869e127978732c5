import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {mountArguments} from '../../source/system/mount-cartridge.js';
import {smartctlArguments, smartctlSkippedAsleep, smartFromOutput} from '../../source/system/smart.js';

const fixtures = fileURLToPath(new URL('../fixtures/smartctl', import.meta.url));

test('an unknown cartridge is mounted nosuid,nodev,noexec', t => {
	const args = mountArguments('/dev/sdb1', '/media/sedai/C1');
	t.deepEqual(args.slice(-2), ['/dev/sdb1', '/media/sedai/C1']);
	const options = new Set(args[args.indexOf('-o') + 1].split(','));
	for (const option of ['nosuid', 'nodev', 'noexec']) {
		t.true(options.has(option), option);
	}
});

test('the drive poll asks smartctl not to wake a sleeping disk, and reads its standby exit as "asleep"', t => {
	const args = smartctlArguments('/dev/sda');
	t.is(args[args.indexOf('-n') + 1], 'standby');
	t.is(args.at(-1), '/dev/sda');
	// What smartctl 7 prints with -n standby for a disk in standby (exit status 2).
	const standby = JSON.stringify({json_format_version: [1, 0], smartctl: {version: [7, 3], messages: [{string: 'Device is in STANDBY mode, exit(2)', severity: 'information'}], exit_status: 2}});
	t.true(smartctlSkippedAsleep(2, standby));
	t.true(smartctlSkippedAsleep(2, 'Device is in SLEEP mode, exit(2)'));
	t.false(smartctlSkippedAsleep(0, standby), 'exit 0 is a real reading');
	const healthy = fs.readFileSync(path.join(fixtures, 'healthy-sata-hdd.json'), 'utf8');
	t.false(smartctlSkippedAsleep(2, healthy), 'exit 2 without a standby message is an open failure');
	t.is(smartFromOutput(healthy).smart.verdict, 'ok');
});
