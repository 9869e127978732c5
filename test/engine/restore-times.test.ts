import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {Repository} from '../../source/core/repository/repository.js';
import {fromText} from '../../source/core/byte-path.js';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * Times survive a round trip: the manifest keeps every nanosecond, and a restore puts back times
 * before 1970 (Node's utimes turns a negative number into "now"). Node's fs rounds what it sets to
 * microseconds (libuv), so that is the precision a restored file gets back.
 */
const times = {
	'founded-1962.txt': '@-240000000.123456789',
	'epoch-minus.txt': '@-1.5',
	'modern.txt': '@1700000000.987654321',
};

test('mtimes before 1970 come back as they were; the manifest keeps nanoseconds', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	for (const [name, time] of Object.entries(times)) {
		fs.writeFileSync(path.join(source, name), name);
		await execa('touch', ['-m', '-d', time, path.join(source, name)]);
	}

	const original = new Map(Object.keys(times).map(name => [name, fs.statSync(path.join(source, name), {bigint: true}).mtimeNs]));
	t.is(original.get('founded-1962.txt'), -240_000_000_123_456_789n, 'touch set the time asked for');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);

	const repository = await Repository.open(repo, undefined);
	const {entries} = await repository.readGeneration((await repository.resolveGeneration('latest')).id);
	for (const [name, ns] of original) {
		t.is(entries.find(entry => entry.path === fromText(`clinic/${name}`))?.mtimeNs, ns, `${name} in the manifest`);
	}

	const into = path.join(work, 'out');
	t.is((await sedai(['restore', 'latest', '--repo', repo, '--into', into], {home})).exitCode, 0);
	for (const [name, ns] of original) {
		const restored = fs.statSync(path.join(into, 'clinic', name), {bigint: true}).mtimeNs;
		const off = restored > ns ? restored - ns : ns - restored;
		t.true(off < 1000n, `${name} restored as ${restored}, not ${ns} (to the microsecond)`);
	}
});
