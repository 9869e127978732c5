import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {deleteScratchAt, listScratchAt} from '../../source/app/operations/scratch.js';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * What earlier drills and test restores left in the scratch folder, over real folders: listed
 * with size and age, deleted by name (also read-only restored folders), and nothing outside the
 * scratch folder is ever touched: no names with slashes or dots, no symbolic links followed.
 */
type World = {work: string; scratch: string; outside: string; home: string};

function world(t: ExecutionContext): World {
	const work = temporaryDirectory('sedai-scratch-test-');
	t.teardown(() => {
		removeTree(work);
	});
	const scratch = path.join(work, 'scratch');
	const outside = path.join(work, 'clinic');
	const home = path.join(work, 'home');
	for (const folder of [scratch, outside, home]) {
		fs.mkdirSync(folder, {recursive: true});
	}

	fs.writeFileSync(path.join(outside, 'patient.txt'), 'live patient data\n');
	// A kept drill copy: two files, one of them in a read-only folder as a restore may leave it.
	const kept = path.join(scratch, '20261201-222000-RDX-A');
	fs.mkdirSync(path.join(kept, 'clinic', 'documents'), {recursive: true});
	fs.writeFileSync(path.join(kept, 'clinic', 'documents', 'referral.txt'), 'x'.repeat(1000));
	fs.writeFileSync(path.join(kept, 'clinic', 'ehr.sql'), 'y'.repeat(24));
	fs.chmodSync(path.join(kept, 'clinic', 'documents'), 0o555);
	// A link planted in the scratch folder that points at live data.
	fs.symlinkSync(outside, path.join(scratch, 'escape'));
	fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({scratch}));
	return {work, scratch, outside, home};
}

test('leftovers are listed with their size, file count and age; links are shown as links', async t => {
	const {scratch, outside} = world(t);
	const listing = await listScratchAt(scratch);
	t.true(listing.exists);
	const kept = listing.entries.find(entry => entry.name === '20261201-222000-RDX-A');
	t.is(kept?.kind, 'folder');
	t.is(kept?.bytes, 1024);
	t.is(kept?.files, 2);
	t.true(Date.now() - Date.parse(kept!.changed) < 10 * 60_000, kept?.changed);
	const link = listing.entries.find(entry => entry.name === 'escape');
	t.is(link?.kind, 'link');
	t.is(link?.linkTarget, outside);
	t.is(link?.bytes, 0, 'a link is not followed to measure');
});

test('a leftover is deleted by name, read-only folders and all; nothing outside goes', async t => {
	const {scratch, outside} = world(t);
	const deleted = await deleteScratchAt(scratch, '20261201-222000-RDX-A');
	t.is(deleted.bytes, 1024);
	t.false(fs.existsSync(path.join(scratch, '20261201-222000-RDX-A')));
	t.true(fs.existsSync(path.join(outside, 'patient.txt')));
	t.deepEqual((await listScratchAt(scratch)).entries.map(entry => entry.name), ['escape']);
});

test('names that leave the scratch folder and links are refused with one sentence each', async t => {
	const {scratch, outside} = world(t);
	for (const name of ['..', '.', '', '../clinic', 'a/b']) {
		const error = await t.throwsAsync(deleteScratchAt(scratch, name));
		t.regex(error?.message ?? '', /is not the name of an entry in the scratch folder/);
	}

	const link = await t.throwsAsync(deleteScratchAt(scratch, 'escape'));
	t.regex(link?.message ?? '', /symbolic link to .*clinic: Sedai deletes only what lies in the scratch folder itself/);
	t.true(fs.existsSync(path.join(outside, 'patient.txt')));
	t.true(fs.lstatSync(path.join(scratch, 'escape')).isSymbolicLink());
	const missing = await t.throwsAsync(deleteScratchAt(scratch, 'nothing-here'));
	t.regex(missing?.message ?? '', /There is no "nothing-here" in the scratch folder/);
});

test('a scratch folder reached through a link: still only its own entries are deleted', async t => {
	const {work, scratch} = world(t);
	const alias = path.join(work, 'scratch-alias');
	fs.symlinkSync(scratch, alias);
	await deleteScratchAt(alias, '20261201-222000-RDX-A');
	t.false(fs.existsSync(path.join(scratch, '20261201-222000-RDX-A')));
});

test('sedai scratch list and delete: the same operation, with --json', async t => {
	const {scratch, outside, home} = world(t);
	const list = await sedai(['scratch', 'list', '--json'], {home});
	t.is(list.exitCode, 0, list.stderr);
	const entries = list.summary?.['entries'] as Array<{name: string; bytes: number}>;
	t.deepEqual(entries.map(entry => entry.name).sort(), ['20261201-222000-RDX-A', 'escape']);
	t.is(list.summary?.['bytes'], 1024);

	const refused = await sedai(['scratch', 'delete', 'escape'], {home});
	t.not(refused.exitCode, 0);
	t.regex(refused.stderr, /symbolic link/);
	t.notRegex(refused.stderr, /\n\s+at /, 'no stack trace');

	const all = await sedai(['scratch', 'delete', '--all', '--json'], {home});
	t.is(all.exitCode, 0, all.stderr);
	t.deepEqual((all.summary?.['deleted'] as Array<{name: string}>).map(entry => entry.name), ['20261201-222000-RDX-A']);
	t.deepEqual(fs.readdirSync(scratch), ['escape']);
	t.true(fs.existsSync(path.join(outside, 'patient.txt')));

	const usage = await sedai(['scratch', 'delete'], {home});
	t.is(usage.exitCode, 2);
	t.regex(usage.stderr, /Name the entries to delete/);
});
