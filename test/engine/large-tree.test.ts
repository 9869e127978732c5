import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {assessGeneration, sentinelFor} from '../../source/core/policy/sentinel.js';
import type {Entry} from '../../source/core/repository/manifest.js';
import {defaultSettings} from '../../source/settings/schema.js';
import {bytesUnder, removeTree, temporaryDirectory} from '../helpers/trees.js';

/** Issue 13: a generation of more than ~125,000 entries crashed in the sentinel (stack overflow). */
const folders = 300;
const pool = Buffer.alloc(8192);
let state = 0x9E_37_79_B9;
for (let i = 0; i < pool.length; i++) {
	// Xorshift: random-ish, deterministic, cheap.
	state ^= state << 13;
	state ^= state >>> 17;
	state ^= state << 5;
	pool[i] = state & 0xFF;
}

/** `count` files of 1–4 KB in `folders` folders; each file's content is unique to its name and `round`. */
function writeTree(root: string, count: number, round = 0, prefix = 'f'): void {
	const perFolder = Math.ceil(count / folders);
	for (let folder = 0; folder < folders; folder++) {
		const directory = path.join(root, `d${String(folder).padStart(3, '0')}`);
		fs.mkdirSync(directory, {recursive: true});
		for (let i = 0; i < perFolder && (folder * perFolder) + i < count; i++) {
			const n = (folder * perFolder) + i;
			const size = 1024 + ((n * 2654) % 3072);
			const header = Buffer.from(`${prefix}${n}:${round}\n`);
			const offset = (n * 7919) % (pool.length - size);
			fs.writeFileSync(path.join(directory, `${prefix}${n}.dat`), Buffer.concat([header, pool.subarray(offset, offset + size - header.length)]));
		}
	}
}

/** In memory where there is tmpfs: 300,000 small writes on a shared disk take minutes, on tmpfs a second. */
function scratchFolder(): string {
	return fs.existsSync('/dev/shm') ? fs.mkdtempSync(path.join('/dev/shm', 'sedai-large-')) : temporaryDirectory();
}

test.serial('a 300,000-file tree backs up with the sentinel, seals and verifies; an incremental that adds and changes files seals too', async t => {
	const work = scratchFolder();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'scans');
	writeTree(source, 300_000);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'LARGE'});
	const sentinel = sentinelFor(defaultSettings().sentinel);

	const first = await runBackup(repository, {sources: [source], sentinel});
	t.is(first.generation.totals.files, 300_000);
	t.is(first.changedFiles, 300_000);
	t.false(first.generation.sentinel?.suspect ?? true, JSON.stringify(first.generation.sentinel?.reasons));

	// Change 1,000 files in place and add 2,000 new ones.
	for (let n = 0; n < 1000; n++) {
		const folder = Math.floor(n / 1000);
		fs.appendFileSync(path.join(source, `d${String(folder).padStart(3, '0')}`, `f${n}.dat`), 'edited\n');
	}

	writeTree(source, 2000, 1, 'new');
	const second = await runBackup(repository, {sources: [source], sentinel});
	t.is(second.generation.totals.files, 302_000);
	t.is(second.changedFiles, 3000);
	t.is(second.reusedFiles, 299_000);
	t.is(second.previous?.id, first.generation.id);

	// Nothing changed: format 2 writes no tree again, only the generation file (issue 13: ≤ 4 KB).
	const before = bytesUnder(repository.root);
	const third = await runBackup(repository, {sources: [source], sentinel});
	const added = bytesUnder(repository.root) - before;
	t.is(third.generation.totals.newBlobs, 0);
	t.true(added <= 4096, `a no-change backup of 302,000 files added ${added} bytes`);

	const verify = await runVerify(repository, {level: 'structure', record: false});
	t.true(verify.ok, JSON.stringify(verify.problems.slice(0, 3)));
	t.is(verify.generations, 3);
});

// The same code path as a backup (the sentinel is where it overflowed), without writing 310,000 files.
test('the sentinel judges an incremental that adds 300,000 files to a 10,000-file generation', async t => {
	const entry = (n: number): Entry => ({path: `archive/f${n}.dat`, type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeNs: 1n, ctimeNs: 1n, ino: n, size: 2048, chunks: Buffer.alloc(32, n % 251)});
	const previous = Array.from({length: 10_000}, (_, n) => entry(n));
	const current = Array.from({length: 310_000}, (_, n) => entry(n));
	const verdict = await assessGeneration({previous, current, absoluteOf: () => undefined, readFile: async () => undefined}, defaultSettings().sentinel);
	t.is(verdict.measures['added'], 300_000);
	t.is(verdict.measures['currentFiles'], 310_000);
});
