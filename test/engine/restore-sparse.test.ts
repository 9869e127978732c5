import fs from 'node:fs';
import path from 'node:path';
import {createHash} from 'node:crypto';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** A sparse file (a VM disk, a preallocated database) comes back sparse, byte for byte the same. */
const gib = 1024 * 1024 * 1024;

function sha256Of(file: string): string {
	const hash = createHash('sha256');
	const handle = fs.openSync(file, 'r');
	const buffer = Buffer.alloc(8 * 1024 * 1024);
	for (let read; (read = fs.readSync(handle, buffer)) > 0;) {
		hash.update(buffer.subarray(0, read));
	}

	fs.closeSync(handle);
	return hash.digest('hex');
}

test('a sparse 1 GiB file is restored sparse: holes stay holes, data stays where it was', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	const image = path.join(source, 'disk.img');
	fs.writeFileSync(image, '');
	fs.truncateSync(image, gib);
	const handle = fs.openSync(image, 'r+');
	fs.writeSync(handle, Buffer.from('boot sector'), 0, 11, 0);
	fs.writeSync(handle, Buffer.alloc(1024 * 1024, 7), 0, 1024 * 1024, 512 * 1024 * 1024);
	fs.closeSync(handle);
	t.true(fs.statSync(image).blocks * 512 < 16 * 1024 * 1024, 'the source is sparse');

	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	const into = path.join(work, 'out');
	const restore = await sedai(['restore', 'latest', '--repo', repo, '--into', into], {home});
	t.is(restore.exitCode, 0, restore.stderr);

	const restored = path.join(into, 'clinic', 'disk.img');
	const stats = fs.statSync(restored);
	t.is(stats.size, gib);
	t.true(stats.blocks * 512 < 64 * 1024 * 1024, `allocated ${stats.blocks * 512} bytes of 1 GiB`);
	t.is(sha256Of(restored), sha256Of(image));
});
