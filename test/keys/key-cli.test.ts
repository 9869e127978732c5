import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai, type CliOptions} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

const first = 'correct horse battery';
const second = 'staple on the desk';

function setup(t: {teardown: (fn: () => void) => void}) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');
	const secretFile = (name: string, text: string) => {
		const file = path.join(work, name);
		fs.writeFileSync(file, `${text}\n`, {mode: 0o600});
		return file;
	};

	const as = (passphrase: string, env: Record<string, string> = {}): CliOptions => ({home, passphrase, env});
	return {work, home, repo, secretFile, as};
}

function textUnder(folder: string): string {
	return fs.readdirSync(folder, {recursive: true})
		.map(name => path.join(folder, String(name)))
		.filter(file => fs.statSync(file).isFile())
		.map(file => fs.readFileSync(file, 'utf8'))
		.join('\n');
}

async function opens(repo: string, options: CliOptions): Promise<boolean> {
	return (await sedai(['generations', '--repo', repo, '--json'], options)).exitCode === 0;
}

async function slotIds(repo: string, options: CliOptions): Promise<string[]> {
	const list = await sedai(['key', 'list', '--repo', repo, '--json'], options);
	return list.lines.filter(line => line['type'] === 'slot').map(line => String(line['id']));
}

test('key add, list, remove and passwd: each passphrase opens exactly when it should; the last slot and the one in use are kept', async t => {
	const {repo, secretFile, as} = setup(t);
	t.is((await sedai(['init', repo, '--label', 'C1'], as(first))).exitCode, 0);
	const [original] = await slotIds(repo, as(first));

	const added = await sedai(['key', 'add', '--repo', repo, '--new-passphrase-file', secretFile('second', second), '--json'], as(first));
	t.is(added.exitCode, 0, added.stderr);
	const list = await sedai(['key', 'list', '--repo', repo, '--json'], as(first));
	const slots = list.lines.filter(line => line['type'] === 'slot');
	t.is(slots.length, 2);
	for (const slot of slots) {
		t.regex(String(slot['id']), /^[\da-f]{8}$/);
		t.false(Number.isNaN(Date.parse(String(slot['added']))));
		// N=2^15, r=8, p=3: as costly to guess as N=2^17, p=1 (OWASP), a quarter of the memory.
		t.deepEqual([slot['scryptN'], slot['scryptR'], slot['scryptP']], [2 ** 15, 8, 3]);
	}

	t.true(await opens(repo, as(first)));
	t.true(await opens(repo, as(second)));

	const own = await sedai(['key', 'remove', '--repo', repo, '--slot', original], as(first));
	t.is(own.exitCode, 2);
	t.regex(own.stderr, /is the one this passphrase opened/);
	t.true(await opens(repo, as(first)), 'refused removal changed nothing');

	const removed = await sedai(['key', 'remove', '--repo', repo, '--slot', original], as(second));
	t.is(removed.exitCode, 0, removed.stderr);
	t.false(await opens(repo, as(first)));
	t.true(await opens(repo, as(second)));

	const [last] = await slotIds(repo, as(second));
	const lastOne = await sedai(['key', 'remove', '--repo', repo, '--slot', last], as(second));
	t.is(lastOne.exitCode, 2);
	t.regex(lastOne.stderr, /is the last one/);

	const third = 'a third passphrase here';
	const passwd = await sedai(['key', 'passwd', '--repo', repo, '--new-passphrase-file', secretFile('third', third)], as(second));
	t.is(passwd.exitCode, 0, passwd.stderr);
	t.false(await opens(repo, as(second)));
	t.true(await opens(repo, as(third)));
	t.is((await slotIds(repo, as(third))).length, 1);
	t.is(fs.statSync(path.join(repo, 'sedai-repository.json')).mode & 0o777, 0o444, 'the repository file stays read-only');
});

test('a recovery sheet adds a key slot that opens the repository with --recovery-key or SEDAI_RECOVERY_KEY', async t => {
	const {repo, home, as} = setup(t);
	await sedai(['init', repo, '--label', 'C2', '--site', 'Tanaka Clinic'], as(first));
	const made = await sedai(['key', 'recovery-sheet', '--repo', repo, '--json'], as(first));
	t.is(made.exitCode, 0, made.stderr);
	const key = String(made.summary?.['recoveryKey']);
	t.regex(key, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
	const sheet = String(made.summary?.['sheet']);
	for (const fact of ['Tanaka Clinic', 'C2', 'Repository id:', '--recovery-key', key.slice(0, 19)]) {
		t.true(sheet.includes(fact), fact);
	}

	const noPassphrase = {home, passphrase: '', env: {}};
	t.true(await opens(repo, {...noPassphrase, env: {SEDAI_RECOVERY_KEY: key.toLowerCase()}}));
	const flag = await sedai(['generations', '--repo', repo, '--recovery-key', key.replaceAll('-', ' ')], noPassphrase);
	t.is(flag.exitCode, 0, flag.stderr);
	const wrong = await sedai(['generations', '--repo', repo, '--recovery-key', 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA'], noPassphrase);
	t.is(wrong.exitCode, 1);
	t.regex(wrong.stderr, /Wrong passphrase/);
	t.false(textUnder(home).includes(key.slice(0, 9)), 'the key is not kept on this machine (journals, state)');
});

test('key list reads a repository made before slot ids and dates: stable ids, the creation date, marked as estimated', async t => {
	const {repo, as} = setup(t);
	await sedai(['init', repo], as(first));
	const file = path.join(repo, 'sedai-repository.json');
	const config = JSON.parse(fs.readFileSync(file, 'utf8')) as {created: string; encryption: {keys: Array<Record<string, unknown>>}};
	config.encryption.keys = config.encryption.keys.map(({kdf, sealed}) => ({kdf, sealed}));
	fs.chmodSync(file, 0o644);
	fs.writeFileSync(file, JSON.stringify(config));
	const list = await sedai(['key', 'list', '--repo', repo, '--json'], as(first));
	const slot = list.lines.find(line => line['type'] === 'slot')!;
	t.regex(String(slot['id']), /^[\da-f]{8}$/);
	t.is(slot['added'], config.created);
	t.false(slot['addedKnown']);
	t.deepEqual(await slotIds(repo, as(first)), [String(slot['id'])], 'the id is stable');
	t.true(await opens(repo, as(first)));
});
