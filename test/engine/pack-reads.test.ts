import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {PackReads} from '../../source/core/repository/pack-reads.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => {
			setTimeout(resolve, 5);
		});
	}
}

test('pack reads: bytes come from the right place, handles are shared, bounded, and all closed once idle', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const files = Array.from({length: 4}, (_, i) => {
		const file = path.join(work, `pack-${i}`);
		fs.writeFileSync(file, Buffer.from(`pack ${i} `.repeat(100)));
		return file;
	});
	const reads = new PackReads(2, 20);
	const buffer = Buffer.alloc(6);
	t.is(await reads.read(files[0], buffer, 7), 6);
	t.is(buffer.toString(), 'pack 0');
	await Promise.all(files.map(async (file, i) => {
		const own = Buffer.alloc(6);
		await reads.read(file, own, 7 * 10);
		t.is(own.toString(), `pack ${i}`);
	}));
	t.true(reads.openFiles <= files.length);
	for (const file of files) {
		await reads.read(file, buffer, 0);
	}

	t.true(reads.openFiles <= 2, 'one read at a time keeps at most the limit open');
	t.is(await reads.read(files[1], Buffer.alloc(10), 695), 5, 'a short read at the end says so');
	await until(() => reads.openFiles === 0);
	t.is(reads.openFiles, 0);
	await t.throwsAsync(reads.read(path.join(work, 'gone'), buffer, 0), {code: 'ENOENT'});
	t.is(reads.openFiles, 0, 'a file that failed to open is not kept');
});
