import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {isSedaiError} from '../../source/core/errors.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * A test restore (a drill's private copy) is safe for patient data: its folder is 0700 and ours,
 * nothing is chowned to the clinic's users, and no setuid, setgid or sticky bit comes back. A
 * recovery restore keeps owners and every bit. Needs root to chown and to see the difference.
 */
const isRoot = process.getuid?.() === 0;
const rootTest = isRoot || process.env['CI'] === 'true' ? test : test.skip;
const other = 12_345;

async function clinic(t: {teardown: (fn: () => void) => void}) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(path.join(source, 'shared'), {recursive: true});
	fs.mkdirSync(path.join(source, 'drop'));
	fs.writeFileSync(path.join(source, 'tool'), '#!/bin/sh\necho hi\n');
	fs.writeFileSync(path.join(source, 'shared', 'chart.txt'), 'patient 1\n');
	fs.chmodSync(path.join(source, 'tool'), 0o4755);
	fs.chmodSync(path.join(source, 'shared'), 0o2775);
	fs.chmodSync(path.join(source, 'drop'), 0o1777);
	fs.chownSync(path.join(source, 'shared', 'chart.txt'), other, other);
	fs.chownSync(path.join(source, 'shared'), other, other);
	fs.chownSync(path.join(source, 'tool'), other, other);
	fs.chmodSync(path.join(source, 'tool'), 0o4755);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-P'});
	await runBackup(repository, {sources: [source], workers: 1});
	return {work, repository};
}

const modeOf = (file: string) => fs.lstatSync(file).mode & 0o7777;

rootTest('a test restore: folder 0700 and ours, copies owned by root, no setuid/setgid/sticky bits', async t => {
	t.true(isRoot, 'this test needs root (uid 0) to chown files to another user: run it as root (CI=true: a failure, not a skip)');
	const {work, repository} = await clinic(t);
	const scratch = path.join(work, 'scratch', 'drill-1');
	const result = await runRestore(repository, {generation: 'latest', into: scratch, purpose: 'test', workers: 1});
	t.true(result.ok);
	t.is(result.purpose, 'test');
	t.is(modeOf(scratch), 0o700);
	t.is(fs.statSync(scratch).uid, 0);
	const copy = path.join(scratch, 'clinic');
	for (const name of ['tool', 'shared', 'shared/chart.txt', 'drop']) {
		const stats = fs.lstatSync(path.join(copy, name));
		t.is(stats.uid, 0, `${name} is owned by root`);
		t.is(stats.gid, 0, `${name} has root's group`);
	}

	t.is(modeOf(path.join(copy, 'tool')), 0o755, 'no setuid');
	t.is(modeOf(path.join(copy, 'shared')), 0o775, 'no setgid');
	t.is(modeOf(path.join(copy, 'drop')), 0o777, 'no sticky bit');
	t.is(fs.readFileSync(path.join(copy, 'shared', 'chart.txt'), 'utf8'), 'patient 1\n');
});

rootTest('a recovery restore of the same keeps owners and every mode bit', async t => {
	t.true(isRoot, 'this test needs root (uid 0): run it as root (CI=true: a failure, not a skip)');
	const {work, repository} = await clinic(t);
	const into = path.join(work, 'recovered');
	const result = await runRestore(repository, {generation: 'latest', into, workers: 1});
	t.true(result.ok);
	t.is(result.purpose, 'recovery');
	const copy = path.join(into, 'clinic');
	t.is(fs.lstatSync(path.join(copy, 'tool')).uid, other);
	t.is(fs.lstatSync(path.join(copy, 'shared', 'chart.txt')).uid, other);
	t.is(modeOf(path.join(copy, 'tool')), 0o4755);
	t.is(modeOf(path.join(copy, 'shared')), 0o2775);
	t.is(modeOf(path.join(copy, 'drop')), 0o1777);
});

rootTest('a test restore makes an existing empty folder 0700 and refuses one owned by someone else', async t => {
	t.true(isRoot, 'this test needs root (uid 0): run it as root (CI=true: a failure, not a skip)');
	const {work, repository} = await clinic(t);
	const open = path.join(work, 'open');
	fs.mkdirSync(open, {mode: 0o755});
	await runRestore(repository, {generation: 'latest', into: open, purpose: 'test', workers: 1});
	t.is(modeOf(open), 0o700);

	const foreign = path.join(work, 'foreign');
	fs.mkdirSync(foreign);
	fs.chownSync(foreign, other, other);
	const error = await t.throwsAsync(runRestore(repository, {generation: 'latest', into: foreign, purpose: 'test', workers: 1}));
	t.true(isSedaiError(error));
	t.regex(error.message, /belongs to user 12345, not to the user running Sedai \(0\)/);
	t.deepEqual(fs.readdirSync(foreign), [], 'nothing was written there');
});
