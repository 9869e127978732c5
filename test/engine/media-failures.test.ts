import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {ensureDirectory} from '../../source/core/repository/atomic.js';
import {parseLines, sedai, sedaiProcess} from '../helpers/cli.js';
import {createLoopCartridge, requireLoopSupport, type LoopCartridge} from '../helpers/loop-device.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/**
 * A full cartridge and a cartridge pulled mid-backup (xfs shut down: every access is EIO), on
 * real loop devices: one true sentence, one JSON `end` with the error, exit 1, no stack trace,
 * and the repository usable (lock gone) once the medium is back.
 */
const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;

/** Take all but `freeKiB` of the free space; 0 fills the disk to the last block. */
async function fillLeaving(cartridge: LoopCartridge, freeKiB: number): Promise<void> {
	const {stdout} = await execa('df', ['-k', '--output=avail', cartridge.mountpoint]);
	const available = Number(stdout.trim().split('\n').at(-1));
	const filler = path.join(cartridge.mountpoint, `filler-${freeKiB}`);
	await execa('fallocate', ['-l', String(Math.max(0, available - Math.max(freeKiB, 1024)) * 1024), filler]);
	if (freeKiB === 0) {
		await execa('dd', ['if=/dev/zero', `of=${filler}-rest`, 'bs=4k'], {reject: false});
	}
}

function setUp(t: {teardown: (fn: () => void) => void}): {home: string; source: string; work: string} {
	requireLoopSupport();
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'note.txt'), 'chart\n');
	return {home: path.join(work, 'home'), source, work};
}

function endOf(lines: Array<Record<string, unknown>>): Record<string, unknown> | undefined {
	return lines.find(line => line['type'] === 'end');
}

test('a cartridge that fills up mid-backup: "No space left", a JSON end with the error, exit 1, no lock left', async t => {
	const {home, source} = setUp(t);
	const cartridge = await createLoopCartridge({fsType: 'xfs', label: 'FULL', sizeMiB: 300});
	t.teardown(async () => cartridge.cleanup());
	const repo = path.join(cartridge.mountpoint, 'sedai');
	t.is((await sedai(['init', repo, '--label', 'FULL', '--plaintext'], {home})).exitCode, 0);
	writeRandomFile(path.join(source, 'scan.bin'), 48 * 1024 * 1024);
	await fillLeaving(cartridge, 20 * 1024);

	const full = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(full.exitCode, 1, full.stderr);
	const end = endOf(full.lines);
	t.is(end?.['status'], 'failed');
	t.like(end?.['error'], {code: 'no-space'});
	t.regex(String((end?.['error'] as {message?: string})?.message), /^No space left on the repository "FULL"/);
	t.false(full.lines.some(line => line['code'] === 'changed-while-read'), 'files that were never read are not "changed while read"');
	t.notRegex(full.stderr, stackTrace);
	t.deepEqual(fs.readdirSync(path.join(repo, 'locks')), [], 'the lock is released');

	// So full that not even the write probe fits: still "no space", not "check permissions".
	await fillLeaving(cartridge, 0);
	const probe = await sedai(['backup', source, '--repo', repo], {home});
	t.is(probe.exitCode, 1);
	t.regex(probe.stderr, /^sedai: No space left on the repository "FULL"/m);
	t.notRegex(probe.stderr, /check permissions|stack|at .*\.js/);
});

test('a directory that cannot be made on a full disk reports ENOSPC, not ENOENT ("was the medium removed?")', async t => {
	requireLoopSupport();
	const cartridge = await createLoopCartridge({fsType: 'xfs', label: 'DIRS', sizeMiB: 300});
	t.teardown(async () => cartridge.cleanup());
	// Fill blocks and then inodes: small files until nothing more fits.
	await fillLeaving(cartridge, 0);
	for (let i = 0; ; i++) {
		try {
			fs.mkdirSync(path.join(cartridge.mountpoint, `d${i}`));
		} catch {
			break;
		}
	}

	const error = await t.throwsAsync(ensureDirectory(path.join(cartridge.mountpoint, 'repo', 'data', 'f0')));
	t.is((error as {code?: string}).code, 'ENOSPC');
});

test('a cartridge pulled mid-backup (EIO): one sentence, a JSON end with the error, exit 1, no stack trace; back in, the next backup runs', async t => {
	const {home, source, work} = setUp(t);
	const cartridge = await createLoopCartridge({fsType: 'xfs', label: 'PULLED', sizeMiB: 300});
	t.teardown(async () => cartridge.cleanup());
	const repo = path.join(cartridge.mountpoint, 'sedai');
	t.is((await sedai(['init', repo, '--label', 'PULLED', '--plaintext'], {home})).exitCode, 0);
	// Many files: when the cartridge goes, some have not been read yet.
	for (let i = 0; i < 120; i++) {
		writeRandomFile(path.join(source, 'scans', `scan-${i}.jpg`), 512 * 1024);
	}

	// The backup pauses once its first pack is in place; the cartridge is pulled right there.
	const marker = path.join(work, 'paused');
	const running = sedaiProcess(['backup', source, '--repo', repo, '--json'], {home, env: {SEDAI_TEST_PAUSE_AT: 'pack:renamed', SEDAI_TEST_MARKER: marker}});
	await waitFor(() => fs.existsSync(marker));
	await cartridge.pull();
	fs.rmSync(marker);
	const pulled = await running;
	t.is(pulled.exitCode, 1, String(pulled.stderr));
	const lines = parseLines(String(pulled.stdout));
	const end = endOf(lines);
	t.is(end?.['status'], 'failed');
	t.like(end?.['error'], {code: 'io'});
	t.regex(String((end?.['error'] as {message?: string})?.message), /^Input\/output error on the repository "PULLED".*pulled out/);
	t.is(lines.filter(line => line['type'] === 'end').length, 1);
	t.false(lines.some(line => line['code'] === 'changed-while-read'), 'what was never read did not "change while read"');
	t.notRegex(String(pulled.stderr), stackTrace);
	t.notRegex(String(pulled.stderr), /Unhandled|worker pool closed|Error:/);

	// Plugged back in: a lock the dead filesystem could not delete is stale, and is removed.
	await execa('umount', [cartridge.mountpoint]);
	await cartridge.mount();
	const again = await sedai(['backup', source, '--repo', repo], {home});
	t.is(again.exitCode, 0, again.stderr);
	t.deepEqual(fs.readdirSync(path.join(repo, 'locks')), []);
	t.is((await sedai(['verify', '--repo', repo, '--full'], {home})).exitCode, 0);
});

async function waitFor(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}
