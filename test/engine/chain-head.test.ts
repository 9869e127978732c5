import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {makeMutable, removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * The ends of the seal chain: generations deleted from the top, all of them, a rollback to an
 * older copy, and a deletion hidden behind a hand-written prune record are all damage.
 */
async function fourGenerations(t: {teardown: (fn: () => void) => void}, init: string[] = []) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, ...init], {home});
	const ids: string[] = [];
	const heads: string[] = [];
	for (let day = 1; day <= 4; day++) {
		fs.writeFileSync(path.join(source, 'journal.txt'), `day ${day}\n`);
		const backup = await sedai(['backup', source, '--repo', repo, '--json'], {home});
		ids.push(String(backup.summary?.['generation']));
		heads.push(fs.readFileSync(path.join(repo, 'chain-head.json'), 'utf8'));
	}

	const remove = (id: string) => {
		const file = path.join(repo, 'generations', `${id}.gen`);
		makeMutable(file);
		fs.rmSync(file);
	};

	return {work, home, repo, ids, heads, remove};
}

const problemsOf = (lines: Array<Record<string, unknown>>) => lines.filter(line => line['type'] === 'problem').map(line => String(line['message']));

test('a deleted newest generation is damage', async t => {
	const {home, repo, ids, remove} = await fourGenerations(t);
	t.is((await sedai(['verify', '--repo', repo], {home})).exitCode, 0);
	remove(ids[3]);
	// A fresh machine has no local anchor: the signed head alone must tell.
	const verify = await sedai(['verify', '--repo', repo, '--json'], {home: path.join(home, 'elsewhere')});
	t.is(verify.exitCode, 3);
	t.true(problemsOf(verify.lines).some(text => text.includes(`newest generation ${ids[3].slice(0, 8)} (#4`) && text.includes('gone without a prune record')));
});

test('every generation deleted is damage', async t => {
	const {home, repo, ids, remove} = await fourGenerations(t);
	for (const id of ids) {
		remove(id);
	}

	const verify = await sedai(['verify', '--repo', repo, '--json'], {home: path.join(home, 'elsewhere')});
	t.is(verify.exitCode, 3);
	t.regex(problemsOf(verify.lines).join('\n'), /newest generation .* \(#4.* is gone/);
});

test('a rollback of the newest two with an older copy of the head is caught by this computer\'s anchor (plaintext: no key to sign with)', async t => {
	const {home, repo, ids, heads, remove} = await fourGenerations(t, ['--plaintext']);
	remove(ids[3]);
	remove(ids[2]);
	const head = path.join(repo, 'chain-head.json');
	makeMutable(head);
	fs.writeFileSync(head, heads[1]);
	const verify = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.is(verify.exitCode, 3);
	t.true(problemsOf(verify.lines).some(text => text.includes(`last saw generation ${ids[3].slice(0, 8)} (#4)`) && text.includes('went backwards')));
	const again = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.is(again.exitCode, 3, 'the anchor never moves back');
	t.true(problemsOf(again.lines).some(text => text.includes(`sedai repair --repo ${repo} --accept-rollback`)), 'the message says how to accept a deliberate rollback');

	// The technician put the older copy back on purpose: accepting it is explicit and changes nothing on the medium.
	const accept = await sedai(['repair', '--repo', repo, '--accept-rollback', '--json'], {home});
	t.is(accept.exitCode, 0, accept.stdout + accept.stderr);
	t.deepEqual(accept.summary?.['forgotten'], {seq: 4, id: ids[3]});
	t.deepEqual(accept.summary?.['head'], {seq: 2, id: ids[1]});
	t.is(fs.readFileSync(head, 'utf8'), heads[1], 'the medium is as it was');
	const accepted = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.is(accepted.exitCode, 0, accepted.stdout);
});

test('a deletion covered by a hand-written prune record is damage', async t => {
	const {home, repo, ids, remove} = await fourGenerations(t);
	remove(ids[1]);
	const forged = {id: ids[1], seq: 2, time: new Date().toISOString(), previous: ids[0], prunedAt: new Date().toISOString()};
	fs.writeFileSync(path.join(repo, 'pruned', `${ids[1]}.json`), JSON.stringify(forged) + '\n');
	const verify = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.is(verify.exitCode, 3);
	t.true(problemsOf(verify.lines).some(text => text.includes(`pruned/${ids[1]}.json was not written by Sedai`)));
	t.true(problemsOf(verify.lines).some(text => text.includes('deleted outside Sedai')));
});

test('a genuine prune verifies clean, and a repository without a head gets a note, then a head at the next backup', async t => {
	const {work, home, repo} = await fourGenerations(t);
	const prune = await sedai(['prune', '--repo', repo, '--keep-last', '3'], {home});
	t.is(prune.exitCode, 0, prune.stdout + prune.stderr);
	t.is((await sedai(['verify', '--repo', repo], {home})).exitCode, 0);

	// As an older Sedai left it: no head record, an unsealed prune record.
	const head = path.join(repo, 'chain-head.json');
	makeMutable(head);
	fs.rmSync(head);
	for (const name of fs.readdirSync(path.join(repo, 'pruned'))) {
		const file = path.join(repo, 'pruned', name);
		const {mac: _mac, ...old} = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
		makeMutable(file);
		fs.writeFileSync(file, JSON.stringify(old) + '\n');
	}

	const old = await sedai(['verify', '--repo', repo, '--json'], {home: path.join(home, 'elsewhere')});
	t.is(old.exitCode, 0, old.stdout);
	t.true((old.summary?.['notes'] as string[]).some(note => note.includes('no chain head record yet')));
	fs.writeFileSync(path.join(work, 'clinic', 'journal.txt'), 'day 5\n');
	t.is((await sedai(['backup', path.join(work, 'clinic'), '--repo', repo], {home})).exitCode, 0);
	t.true(fs.existsSync(head));
	const upgraded = await sedai(['verify', '--repo', repo, '--json'], {home});
	t.is(upgraded.exitCode, 0, upgraded.stdout);
	t.false((upgraded.summary?.['notes'] as string[]).some(note => note.includes('chain head')));
});
