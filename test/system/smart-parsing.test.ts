import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {assessSmart, parseSmartctl, smartFromOutput} from '../../source/system/smart.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'smartctl');
const read = async (name: string) => fs.readFile(path.join(fixtures, name), 'utf8');

test('a healthy SATA disk is ok, with its figures', async t => {
	const {smart} = smartFromOutput(await read('healthy-sata-hdd.json'));
	t.is(smart.verdict, 'ok');
	t.true(smart.available);
	t.true(smart.passed);
	t.is(smart.reallocatedSectors, 0);
	t.is(smart.pendingSectors, 0);
	t.is(smart.powerOnHours, 8244);
	t.is(smart.temperatureC, 49);
	t.is(smart.errorLogCount, 0);
});

test('a failing USB disk is failing, and says why in plain words', async t => {
	const {smart} = smartFromOutput(await read('failing-usb-hdd.json'));
	t.is(smart.verdict, 'failing');
	t.false(smart.passed);
	t.is(smart.reallocatedSectors, 1975);
	t.is(smart.pendingSectors, 8);
	t.is(smart.powerOnHours, 65_592);
	t.is(smart.errorLogCount, 56);
	t.true(smart.reasons.some(reason => reason.includes('self-assessment says FAILED')));
	t.true(smart.reasons.some(reason => reason.includes('1,975 sectors have been remapped')));
	t.true(smart.reasons.some(reason => reason.includes('56 error')));
});

test('a USB portable drive that reports attributes only is judged on them', async t => {
	const {smart, reading} = smartFromOutput(await read('usb-portable-hdd-attributes.json'));
	t.is(reading?.protocol, 'ATA');
	t.is(smart.passed, undefined);
	t.is(smart.verdict, 'ok');
	// Power_On_Hours is packed ("2725 (151 234 0)"): the count is the leading number.
	t.is(smart.powerOnHours, 2725);
	t.is(smart.temperatureC, 29);
	t.regex(smart.reasons[0], /No overall self-assessment/);
});

test('a loop device and a virtual disk have no SMART: unknown, with a reason', async t => {
	for (const name of ['this-machine-loop-device.json', 'this-machine-virtio-disk.json']) {
		const {smart} = smartFromOutput(await read(name));
		t.is(smart.verdict, 'unknown', `${name}`);
		t.false(smart.available);
		t.regex(smart.note ?? '', /No SMART data/);
	}
});

test('some remapped sectors are a warning; a count that grows since the last look is failing', async t => {
	const base = parseSmartctl(await read('healthy-sata-hdd.json')).reading!;
	const worn = {...base, reallocatedSectors: 12};
	t.is(assessSmart(worn).verdict, 'warning');
	t.is(assessSmart(worn, {reallocatedSectors: 12, pendingSectors: 0}).verdict, 'warning');
	const growing = assessSmart(worn, {reallocatedSectors: 4, pendingSectors: 0});
	t.is(growing.verdict, 'failing');
	t.true(growing.reasons.some(reason => reason.includes('growing')));
	t.is(assessSmart({...base, temperatureC: 61}).verdict, 'warning');
	t.is(assessSmart({...base, pendingSectors: 40}).verdict, 'failing');
});

test('output that is not JSON is unknown, not a crash', t => {
	const {smart} = smartFromOutput('smartctl 6.2 2013-07-26 r3841 [x86_64-linux] (local build)');
	t.is(smart.verdict, 'unknown');
	t.regex(smart.note ?? '', /smartmontools/);
});
