import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {chunkCount, chunkId} from '../../source/core/repository/manifest.js';
import {packPath} from '../../source/core/repository/layout.js';
import {gcmSeal} from '../../source/core/repository/crypto.js';
import {decodeBlob, encodeBlob} from '../../source/core/repository/blob-codec.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {fromText} from '../../source/core/byte-path.js';
import {makeMutable, removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/**
 * A restore that reads back does not hash sealed blobs as it writes them (AES-GCM binds each to
 * its id). What only a key holder could make, a sealed blob over other bytes, must still be
 * caught: by the read-back, or by the worker's own hash when there is no read-back.
 */
async function forgedChunk(t: ExecutionContext) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	writeRandomFile(path.join(source, 'scan.dcm'), 2 * 1024 * 1024);
	fs.writeFileSync(path.join(source, 'notes.txt'), 'healthy\n');
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-F', passphrase: 'correct horse battery'});
	await runBackup(repository, {sources: [source], workers: 1});
	const {entries} = await repository.readGeneration((await repository.resolveGeneration('latest')).id);
	const {index} = await repository.loadIndex();
	const scan = entries.find(entry => entry.path === fromText('clinic/scan.dcm'))!;
	t.true(chunkCount(scan) >= 2, 'the scan spans several chunks');
	const id = chunkId(scan, 1);
	const location = index.get(id)!;
	t.true(location.flags === 0, 'random bytes are stored uncompressed');
	const forged = gcmSeal(repository.masterKey!, crypto.randomBytes(location.rawLength), id);
	t.true(forged.length === location.length, 'the forgery has the stored length');
	const pack = packPath(repository.layout, location.packId);
	makeMutable(pack);
	const handle = fs.openSync(pack, 'r+');
	fs.writeSync(handle, forged, 0, forged.length, location.offset);
	fs.closeSync(handle);
	return {work, repository};
}

test('a sealed chunk over other bytes: the read-back names the file and the restore is not ok', async t => {
	const {work, repository} = await forgedChunk(t);
	const result = await runRestore(repository, {generation: 'latest', into: path.join(work, 'out'), workers: 1});
	t.false(result.ok);
	t.deepEqual(result.mismatches, [{path: 'clinic/scan.dcm', reason: 'restored bytes differ from the generation'}]);
	t.is(fs.readFileSync(path.join(work, 'out', 'clinic', 'notes.txt'), 'utf8'), 'healthy\n');
});

test('the same forgery without a read-back: the worker hashes the chunk and leaves a hole there', async t => {
	const {work, repository} = await forgedChunk(t);
	const result = await runRestore(repository, {generation: 'latest', into: path.join(work, 'out'), workers: 1, verify: false});
	t.false(result.ok);
	t.deepEqual(result.damaged.map(file => file.path), ['clinic/scan.dcm']);
	t.is(result.damaged[0].missing.length, 1);
});

test('decodeBlob: hashSealed false skips the hash of a sealed blob only; an unsealed blob is always hashed', t => {
	const key = crypto.randomBytes(32);
	const raw = crypto.randomBytes(4096);
	const wrongId = crypto.createHash('sha256').update('other bytes').digest();
	const sealed = encodeBlob(key, wrongId, raw);
	t.is(decodeBlob(key, wrongId, sealed.data, sealed.flags, raw.length), undefined, 'hashed: the id does not match');
	t.true(decodeBlob(key, wrongId, sealed.data, sealed.flags, raw.length, false)?.equals(raw), 'authenticated, not hashed');
	const plain = encodeBlob(undefined, wrongId, raw);
	t.is(decodeBlob(undefined, wrongId, plain.data, plain.flags, raw.length, false), undefined, 'unsealed: hashed anyway');
});
