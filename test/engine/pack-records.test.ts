import {randomBytes} from 'node:crypto';
import test from 'ava';
import {RecordList, decodePackRecords, encodePackRecords, type BlobRecord} from '../../source/core/repository/blob-index.js';

/** The packed list a backup keeps per pack must write the very index bytes the record objects did. */
test('a pack\'s blob list kept packed encodes to the same index bytes as its records, past its first growth', t => {
	const blobs: BlobRecord[] = Array.from({length: 150}, (_, i) => ({id: randomBytes(32), offset: 8 + (i * 4096), length: 4000 + i, rawLength: 9000 + i, flags: i % 4}));
	const list = new RecordList();
	for (const blob of blobs) {
		list.push(blob);
	}

	const packId = randomBytes(16).toString('hex');
	const packed = list.packed(packId);
	t.is(packed.count, 150);
	const expected = encodePackRecords([{packId, blobs}]);
	t.deepEqual(encodePackRecords([packed]), expected);
	const [decoded] = decodePackRecords(expected);
	t.is(decoded.packId, packId);
	t.deepEqual(decoded.blobs.map(blob => [Buffer.from(blob.id).toString('hex'), blob.offset, blob.length, blob.rawLength, blob.flags]), blobs.map(blob => [Buffer.from(blob.id).toString('hex'), blob.offset, blob.length, blob.rawLength, blob.flags]));
	// Mixed with records read back from an index, as prune writes them.
	t.deepEqual(encodePackRecords([decoded, packed]).length, (expected.length * 2) - 8);
});
