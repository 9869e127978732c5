import {createHash} from 'node:crypto';
import test from 'ava';
import {BlobIndex} from '../../source/core/repository/blob-index.js';
import type {Entry} from '../../source/core/repository/manifest.js';
import {fromText} from '../../source/core/byte-path.js';
import {isSedaiError} from '../../source/core/errors.js';
import {layOutFile} from '../../source/core/jobs/restore/file-layout.js';
import {planRestore, selectEntries} from '../../source/core/jobs/restore/plan.js';
import {mergeRegions} from '../../source/core/jobs/restore/regions.js';

/** A file entry of chunks with these lengths, and an index that knows the chunks not in `lost`. */
function fileOf(name: string, lengths: number[], lost: number[] = []): {entry: Entry; index: BlobIndex} {
	const ids = lengths.map((_, i) => createHash('sha256').update(`${name}-${i}`).digest());
	const index = new BlobIndex();
	let packOffset = 0;
	for (const [i, length] of lengths.entries()) {
		if (!lost.includes(i)) {
			index.add(ids[i], {packId: 'p'.repeat(64), offset: packOffset, length: length + 40, rawLength: length, flags: 0});
		}

		packOffset += length + 40;
	}

	const size = lengths.reduce((sum, length) => sum + length, 0);
	return {entry: {path: fromText(name), type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n, size, chunks: Buffer.concat(ids)}, index};
}

const packFile = (packId: string) => `/repo/data/${packId.slice(0, 2)}/${packId}`;
const offsets = (layout: ReturnType<typeof layOutFile>) => layout.ranges.flatMap(range => range.pieces.map(piece => piece.fileOffset));

test('layout: every chunk at the sum of the lengths before it, and no holes', t => {
	const {entry, index} = fileOf('a', [100, 200, 300]);
	const layout = layOutFile(entry, index, packFile);
	t.deepEqual(offsets(layout), [0, 100, 300]);
	t.deepEqual(layout.missing, []);
	t.is(layout.ranges[0].pieces[1].pack, packFile('p'.repeat(64)));
	t.is(layout.ranges[0].pieces[1].offset, 140);
});

test('layout: a chunk lost from the index leaves a hole of its size, later chunks keep their offsets', t => {
	const {entry, index} = fileOf('b', [100, 200, 300, 400], [1]);
	const layout = layOutFile(entry, index, packFile);
	t.deepEqual(offsets(layout), [0, 300, 600]);
	t.deepEqual(layout.missing, [{offset: 100, length: 200}]);
});

test('layout: between two lost chunks nothing can be placed, so it is one hole', t => {
	const {entry, index} = fileOf('c', [100, 200, 300, 400, 500], [1, 3]);
	const layout = layOutFile(entry, index, packFile);
	t.deepEqual(offsets(layout), [0, 1000]);
	t.deepEqual(layout.missing, [{offset: 100, length: 900}]);
});

test('layout: a lost last chunk is a hole up to the file size', t => {
	const {entry, index} = fileOf('d', [100, 200], [1]);
	t.deepEqual(layOutFile(entry, index, packFile).missing, [{offset: 100, length: 200}]);
});

test('layout: lengths that do not add up place nothing after the first lost chunk', t => {
	const {entry, index} = fileOf('e', [100, 200, 300], [1]);
	const layout = layOutFile({...entry, size: 250}, index, packFile);
	t.deepEqual(offsets(layout), [0]);
	t.deepEqual(layout.missing, [{offset: 100, length: 150}]);
});

test('layout: a big file is split into ranges of about the range size', t => {
	const {entry, index} = fileOf('f', [100, 100, 100, 100, 100]);
	const layout = layOutFile(entry, index, packFile, 200);
	t.deepEqual(layout.ranges.map(range => range.pieces.map(piece => piece.fileOffset)), [[0, 100], [200, 300], [400]]);
});

test('regions: sorted, touching ones joined, empty ones dropped', t => {
	t.deepEqual(mergeRegions([{offset: 300, length: 10}, {offset: 0, length: 100}, {offset: 100, length: 50}, {offset: 500, length: 0}]), [{offset: 0, length: 150}, {offset: 300, length: 10}]);
});

function entry(path: string, type: Entry['type'], extra: Partial<Entry> = {}): Entry {
	return {path: fromText(path), type, mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n, size: 0, ...extra};
}

test('plan: sorts entries by kind, refuses unsafe paths, and a hardlink without its first link carries the content', t => {
	const {entry: file, index} = fileOf('clinic/a.db', [10, 20]);
	const entries = [
		entry('clinic', 'dir'),
		file,
		entry('clinic/b.db', 'hardlink', {target: file.path, size: 30}),
		entry('clinic/link', 'symlink', {target: fromText('a.db')}),
		entry('clinic/../../etc/passwd', 'file'),
		entry('clinic/orphan', 'hardlink', {target: fromText('clinic/gone')}),
	];
	const plan = planRestore(entries, entries, index, packFile);
	t.deepEqual(plan.directories.map(item => item.path), ['clinic']);
	t.deepEqual(plan.files.map(item => item.entry.path), ['clinic/a.db']);
	t.deepEqual(plan.hardlinks.map(item => item.path), ['clinic/b.db']);
	t.deepEqual(plan.symlinks.map(item => item.path), ['clinic/link']);
	t.deepEqual(plan.refused.map(item => item.path), ['clinic/../../etc/passwd']);
	t.deepEqual(plan.mismatches.map(item => item.path), ['clinic/orphan']);
	t.false(plan.paths.has('clinic/../../etc/passwd'));

	const alone = planRestore(entries, [entries[2]], index, packFile);
	t.deepEqual(alone.files.map(item => [item.entry.path, item.size]), [['clinic/b.db', 30]]);
	t.is(alone.layout(alone.files[0]).ranges[0].pieces.length, 2);
});

test('select: include paths pick subtrees; a path with nothing there is one clear error', t => {
	const entries = [entry('clinic', 'dir'), entry('clinic/x', 'dir'), entry('clinic/x/1', 'file'), entry('clinic/y', 'file')];
	t.deepEqual(selectEntries(entries, ['/clinic/x/'], 'abcd1234').map(item => item.path), ['clinic/x', 'clinic/x/1']);
	t.is(selectEntries(entries, [], 'abcd1234').length, 4);
	const error = t.throws(() => selectEntries(entries, ['clinic/z'], 'abcd1234'));
	t.true(isSedaiError(error));
	t.regex(error.message, /has nothing at "clinic\/z"/);
});
