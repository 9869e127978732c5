import fs from 'node:fs';
import path from 'node:path';
import {createHash} from 'node:crypto';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup, type BackupResult} from '../../source/core/jobs/backup.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {buildTrees, type ReusableFolders} from '../../source/core/repository/tree.js';
import type {Entry} from '../../source/core/repository/manifest.js';
import {fromText, toText} from '../../source/core/byte-path.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * A folder found unchanged since the parent keeps the parent's tree id without being encoded
 * again. Each change below, beside and above such folders must still reach the new generation.
 */
const passphrase = 'unchanged folders passphrase';

type Seen = {type: string; mode?: number; size?: number; sha256?: string; target?: string; mtimeNs?: bigint};

/** What the source holds now, as the generation should list it. */
function sourceNow(root: string): Map<string, Seen> {
	const seen = new Map<string, Seen>();
	const visit = (folder: string, relative: string) => {
		for (const name of fs.readdirSync(folder).sort()) {
			const full = path.join(folder, name);
			const at = `${relative}/${name}`;
			const stats = fs.lstatSync(full, {bigint: true});
			if (stats.isSymbolicLink()) {
				seen.set(at, {type: 'symlink', target: fs.readlinkSync(full)});
			} else if (stats.isDirectory()) {
				seen.set(at, {type: 'dir', mode: Number(stats.mode & 0o7777n), mtimeNs: stats.mtimeNs});
				visit(full, at);
			} else {
				seen.set(at, {type: 'file', mode: Number(stats.mode & 0o7777n), size: Number(stats.size), sha256: createHash('sha256').update(fs.readFileSync(full)).digest('hex'), mtimeNs: stats.mtimeNs});
			}
		}
	};

	visit(root, path.basename(root));
	return seen;
}

function listed(entries: Entry[]): Map<string, Seen> {
	const seen = new Map<string, Seen>();
	for (const entry of entries) {
		const at = toText(entry.path);
		if (!at.includes('/')) {
			continue;
		}

		if (entry.type === 'symlink') {
			seen.set(at, {type: 'symlink', target: toText(entry.target!)});
		} else if (entry.type === 'dir') {
			seen.set(at, {type: 'dir', mode: entry.mode, mtimeNs: entry.mtimeNs});
		} else {
			seen.set(at, {type: 'file', mode: entry.mode, size: entry.size, sha256: entry.sha256?.toString('hex'), mtimeNs: entry.mtimeNs});
		}
	}

	return seen;
}

async function backUpAndCompare(t: ExecutionContext, repository: Repository, source: string, step: string): Promise<BackupResult> {
	const result = await runBackup(repository, {sources: [source]});
	const {entries} = await repository.readGeneration(result.generation.id);
	t.deepEqual(listed(entries), sourceNow(source), `after: ${step}`);
	return result;
}

test('every change under, beside and above unchanged folders reaches the generation; the unchanged keep their trees', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	for (const folder of ['a/b/c', 'd', 'e', 'f', 'g/h', 'i', 'k']) {
		fs.mkdirSync(path.join(source, folder), {recursive: true});
		for (let n = 0; n < 3; n++) {
			fs.writeFileSync(path.join(source, folder, `note-${n}.txt`), `${folder} note ${n}\n`);
		}
	}

	fs.symlinkSync('note-0.txt', path.join(source, 'i', 'latest'));
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'UF', passphrase});
	const first = await backUpAndCompare(t, repository, source, 'the first backup');
	const same = await backUpAndCompare(t, repository, source, 'nothing changed');
	t.is(same.generation.tree, first.generation.tree);
	t.is(same.generation.totals.newBlobs, 0);

	const steps: Array<[string, () => void]> = [
		['a deep file rewritten at the same size, its time moved', () => {
			const file = path.join(source, 'a/b/c/note-1.txt');
			fs.writeFileSync(file, 'a/b/c NOTE 1\n');
			fs.utimesSync(file, new Date(2_000_000_000_000), new Date(2_000_000_000_000));
		}],
		['a file made read-only', () => {
			fs.chmodSync(path.join(source, 'd/note-0.txt'), 0o444);
		}],
		['a file removed in one folder, one added in another', () => {
			fs.rmSync(path.join(source, 'e/note-2.txt'));
			fs.writeFileSync(path.join(source, 'f/note-9.txt'), 'new\n');
		}],
		['a folder made private (its list unchanged, its parent not)', () => {
			fs.chmodSync(path.join(source, 'g/h'), 0o700);
		}],
		['a symlink pointed elsewhere', () => {
			fs.rmSync(path.join(source, 'i/latest'));
			fs.symlinkSync('note-2.txt', path.join(source, 'i/latest'));
		}],
		['a file renamed, a folder removed, an empty one added', () => {
			fs.renameSync(path.join(source, 'k/note-0.txt'), path.join(source, 'k/renamed.txt'));
			fs.rmSync(path.join(source, 'g/h'), {recursive: true});
			fs.mkdirSync(path.join(source, 'a/b/empty'));
		}],
	];
	for (const [step, change] of steps) {
		change();
		await backUpAndCompare(t, repository, source, step);
	}

	const verified = await runVerify(repository);
	t.true(verified.ok);
});

const file = (path: string, content: string): Entry => ({path: fromText(path), type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeNs: 1n, size: content.length, chunks: createHash('sha256').update(content).digest()});
const dir = (path: string): Entry => ({path: fromText(path), type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeNs: 1n, size: 0});

async function build(entries: Entry[], reusable?: ReusableFolders): Promise<{root: Buffer; stored: number; ids: Map<string, Buffer>}> {
	let stored = 0;
	const ids = new Map<string, Buffer>();
	const root = await buildTrees(entries, async plain => {
		stored++;
		return createHash('sha256').update(plain).digest();
	}, (folder, id) => {
		ids.set(folder, id);
	}, reusable);
	return {root, stored, ids};
}

test('the tree builder keeps a folder\'s old id only when its count and every subfolder\'s id still match', async t => {
	const entries = [dir('r'), dir('r/x'), file('r/x/1', 'one'), file('r/x/2', 'two'), dir('r/y'), file('r/y/3', 'three')];
	const whole = await build(entries);
	t.is(whole.stored, 4);
	const stale = Buffer.alloc(32, 7);
	const known = (overrides: Record<string, {id: Buffer; count: number; unchanged: boolean}>): ReusableFolders => new Map(Object.entries({
		r: {id: whole.ids.get('r')!, count: 2, unchanged: true},
		'r/x': {id: whole.ids.get('r/x')!, count: 2, unchanged: true},
		'r/y': {id: whole.ids.get('r/y')!, count: 1, unchanged: true},
		...overrides,
	}));

	// All unchanged: only the root tree is encoded, and the ids are the same.
	const reused = await build(entries, known({}));
	t.deepEqual([reused.stored, reused.root.equals(whole.root)], [1, true]);

	// A folder said unchanged whose list has one more child (a stream joined it) is encoded.
	const joined = await build([...entries, file('r/y/4', 'four')], known({'r/y': {id: stale, count: 1, unchanged: true}}));
	t.false(joined.ids.get('r/y')!.equals(stale));

	// A subfolder encoded anew makes its unchanged parent encoded too, never the parent's old id.
	const below = await build(entries, known({'r/x': {id: stale, count: 2, unchanged: false}, r: {id: stale, count: 2, unchanged: true}}));
	t.true(below.ids.get('r')!.equals(whole.ids.get('r')!));
	t.is(below.stored, 3);
});
