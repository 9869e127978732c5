import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fromText} from '../../source/core/byte-path.js';
import type {Entry} from '../../source/core/repository/manifest.js';
import {applyMetadata, finishOf, metadataPolicy} from '../../source/core/jobs/restore/metadata.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

const entry = (mode: number): Entry => ({path: fromText('x'), type: 'file', mode, uid: 12_345, gid: 12_345, mtimeNs: 1_500_000_000_123_456_789n, size: 0});

test('policy: a test restore never chowns and masks setuid, setgid and sticky; a recovery keeps them', t => {
	t.deepEqual(finishOf(entry(0o6755), metadataPolicy('test')), {mode: 0o755, uid: 12_345, gid: 12_345, mtimeNs: '1500000000123456789', chown: false});
	t.deepEqual(finishOf(entry(0o6755), metadataPolicy('recovery')), {mode: 0o6755, uid: 12_345, gid: 12_345, mtimeNs: '1500000000123456789', chown: true});
	t.is(finishOf(entry(0o1777), metadataPolicy('test')).mode, 0o777);
});

test('applyMetadata: mode (masked for a test) and mtime; owner untouched by a test restore', t => {
	const root = temporaryDirectory();
	t.teardown(() => {
		removeTree(root);
	});
	const file = path.join(root, 'f');
	fs.writeFileSync(file, '');
	const owner = fs.statSync(file).uid;
	applyMetadata(fromText(file), entry(0o4750), 'file', metadataPolicy('test'));
	const stats = fs.statSync(file);
	t.is(stats.mode & 0o7777, 0o750);
	t.is(stats.uid, owner);
	t.is(Math.floor(stats.mtimeMs), 1_500_000_000_123);
	applyMetadata(fromText(file), entry(0o2750), 'file', metadataPolicy('recovery'));
	t.is(fs.statSync(file).mode & 0o7777, 0o2750);
});
