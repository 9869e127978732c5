import {randomBytes, createHash} from 'node:crypto';
import test from 'ava';
import {blobFlags, decodeBlob, encodeBlob} from '../../source/core/repository/blob-codec.js';
import {frameContentSize, loadZstd} from '../../source/core/repository/compression.js';

const key = randomBytes(32);
const text = Buffer.from('INSERT INTO visits VALUES (42, \'fever\', \'患者\', 37.8);\n'.repeat(4000));
const idOf = (data: Uint8Array) => createHash('sha256').update(data).digest();

test.before(async () => {
	await loadZstd();
});

test('text is stored as zstd, smaller than LZ4, and decodes to the same bytes', t => {
	const id = idOf(text);
	const zstd = encodeBlob(key, id, text, 'zstd');
	const lz4 = encodeBlob(key, id, text, 'lz4');
	t.is(zstd.flags, blobFlags.zstd);
	t.is(lz4.flags, blobFlags.compressed);
	t.true(zstd.data.length < lz4.data.length, `zstd ${zstd.data.length} vs lz4 ${lz4.data.length}`);
	t.deepEqual(decodeBlob(key, id, zstd.data, zstd.flags, text.length), text);
	t.deepEqual(decodeBlob(key, id, lz4.data, lz4.flags, text.length), text, 'format-1 LZ4 blobs still decode');
	t.deepEqual(decodeBlob(undefined, id, encodeBlob(undefined, id, text, 'zstd').data, blobFlags.zstd, text.length), text, 'plaintext too');
});

test('already-compressed content (a scan, an archive) is stored raw, not compressed', t => {
	const scan = randomBytes(256 * 1024);
	const id = idOf(scan);
	const blob = encodeBlob(undefined, id, scan, 'zstd');
	t.is(blob.flags, 0);
	t.is(blob.data.length, scan.length);
	t.deepEqual(decodeBlob(undefined, id, blob.data, blob.flags, scan.length), scan);
});

test('a zstd frame whose declared size is not the indexed one is refused before decompressing', t => {
	const id = idOf(text);
	const blob = encodeBlob(undefined, id, text, 'zstd');
	t.is(frameContentSize(blob.data), text.length);
	t.is(decodeBlob(undefined, id, blob.data, blob.flags, text.length - 1), undefined);
	// Claim 2^40 bytes in the header: refused without allocating them.
	const forged = Buffer.from([0x28, 0xB5, 0x2F, 0xFD, 0xE0, 0, 0, 0, 0, 0, 1, 0, 0, ...blob.data.subarray(14)]);
	t.is(frameContentSize(forged), 2 ** 40);
	t.is(decodeBlob(undefined, id, forged, blobFlags.zstd, text.length), undefined);
	const flipped = Buffer.from(blob.data);
	flipped[flipped.length - 3] ^= 0xFF;
	t.is(decodeBlob(undefined, id, flipped, blobFlags.zstd, text.length), undefined, 'a damaged frame is damage, not an exception');
});
