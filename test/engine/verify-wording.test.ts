import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {sedai} from '../helpers/cli.js';
import {makeMutable, removeTree, temporaryDirectory} from '../helpers/trees.js';

/** What verify says about damage must be what happened, not the nearest familiar story. */
async function twoGenerations(t: ExecutionContext): Promise<{home: string; repo: string; ids: string[]}> {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'a.txt'), 'day one\n');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	fs.writeFileSync(path.join(source, 'b.txt'), 'day two\n');
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
	const list = await sedai(['generations', '--repo', repo, '--json'], {home});
	const ids = list.lines.filter(line => line['type'] === 'generation').map(line => String(line['id']));
	t.is(ids.length, 2, list.stdout);
	return {home, repo, ids};
}

test('a damaged generation header is damage, not "deleted outside Sedai"', async t => {
	const {home, repo, ids} = await twoGenerations(t);
	const file = path.join(repo, 'generations', `${ids[0]}.gen`);
	makeMutable(file);
	const bytes = fs.readFileSync(file);
	bytes[20] ^= 0xFF;
	fs.writeFileSync(file, bytes);
	const verify = await sedai(['verify', '--repo', repo], {home});
	t.is(verify.exitCode, 3, verify.stdout);
	t.regex(verify.stdout, /cannot be opened/);
	t.notRegex(verify.stdout, /deleted outside Sedai/);
});

test('a deleted index is reported as lost, not as "left by an interrupted run"', async t => {
	const {home, repo} = await twoGenerations(t);
	for (const name of fs.readdirSync(path.join(repo, 'index'))) {
		makeMutable(path.join(repo, 'index', name));
		fs.rmSync(path.join(repo, 'index', name));
	}

	const verify = await sedai(['verify', '--repo', repo, '--json'], {home});
	const summary = verify.summary!;
	const notes = (summary['notes'] as string[]).join('\n');
	t.regex(notes, /pack\(s\) holding data of sealed generations are listed in no index file: an index file was deleted or lost/);
	t.notRegex(notes, /interrupted run/);
	const backup = await sedai(['backup', path.join(repo, '..', 'clinic'), '--repo', repo], {home});
	t.is(backup.exitCode, 0);
	t.notRegex(backup.stderr, /^warning: Found \d+ pack\(s\) left by an interrupted run/m);
});
