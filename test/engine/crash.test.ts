import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {sedai, sedaiProcess} from '../helpers/cli.js';
import {comparableTree, removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/** A source big enough to span several packs and both worker threads. */
function makeSource(root: string): void {
	writeRandomFile(path.join(root, 'db', 'dump.bin'), 40 * 1024 * 1024);
	for (let i = 0; i < 300; i++) {
		fs.mkdirSync(path.join(root, 'docs', `p${i % 30}`), {recursive: true});
		fs.writeFileSync(path.join(root, 'docs', `p${i % 30}`, `note-${i}.txt`), `patient ${i}\n`.repeat(200 + i));
	}
}

async function generations(repo: string, home: string): Promise<number> {
	const result = await sedai(['generations', '--repo', repo, '--json'], {home});
	return Number(result.summary?.['count']);
}

const points = ['backup:scanned', 'pack:renamed', 'backup:packs-written', 'backup:before-seal', 'seal:before-rename'];

test('kill -9 at every step of a backup: earlier generations verify clean and the next backup succeeds', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	makeSource(source);
	const repo = path.join(work, 'repo');
	await sedai(['init', repo], {home});
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);

	let expected = 1;
	for (const [i, point] of points.entries()) {
		// New content each round, so every step has real data to write.
		writeRandomFile(path.join(source, 'db', `day-${i}.bin`), 20 * 1024 * 1024);
		const killed = await sedai(['backup', source, '--repo', repo], {home, env: {SEDAI_TEST_CRASH_AT: point}});
		t.is(killed.exitCode, -1, `killed at ${point}: ${killed.stderr}`);
		t.is(await generations(repo, home), expected, `nothing sealed when killed at ${point}`);

		const verify = await sedai(['verify', '--repo', repo, '--full', '--json'], {home});
		t.is(verify.exitCode, 0, `verify after a kill at ${point}: ${verify.stdout}`);

		const next = await sedai(['backup', source, '--repo', repo, '--json'], {home});
		t.is(next.exitCode, 0, `the backup after a kill at ${point}: ${next.stdout}`);
		// The first job after the kill (here the verify) clears the dead lock, and says so.
		t.true([...verify.lines, ...next.lines].some(line => line['type'] === 'warning' && line['code'] === 'stale-lock'), 'the dead lock is reported, not silently broken');
		expected++;
		t.is(await generations(repo, home), expected);
	}

	const final = await sedai(['verify', '--repo', repo, '--full'], {home});
	t.is(final.exitCode, 0, final.stdout);
	const into = path.join(work, 'restored');
	t.is((await sedai(['restore', 'latest', '--repo', repo, '--into', into], {home})).exitCode, 0);
	t.deepEqual(comparableTree(path.join(into, 'clinic')), comparableTree(source));
});

test('kill -9 at random moments while writing leaves the repository usable, and leftovers are reused', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	makeSource(source);
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	await sedai(['backup', source, '--repo', repo], {home});
	writeRandomFile(path.join(source, 'db', 'big-new.bin'), 60 * 1024 * 1024);
	for (const delay of [300, 700, 1200]) {
		const child = sedaiProcess(['backup', source, '--repo', repo], {home});
		await sleep(delay);
		child.kill('SIGKILL');
		await child;
		const verify = await sedai(['verify', '--repo', repo, '--full'], {home});
		t.is(verify.exitCode, 0, `after a kill at ${delay} ms: ${verify.stdout}`);
	}

	const next = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(next.exitCode, 0);
	// Data written by killed runs is found again rather than stored twice.
	t.true(Number(next.summary?.['storedBytes']) < 60 * 1024 * 1024 * 1.05);
	t.is((await sedai(['verify', '--repo', repo, '--full'], {home})).exitCode, 0);
});

test('one writer at a time: a second backup is refused naming the holder; unlock refuses a live lock and clears a dead one', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'src');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'a.txt'), 'a\n');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo], {home});
	const marker = path.join(work, 'paused');
	const first = sedaiProcess(['backup', source, '--repo', repo], {home, env: {SEDAI_TEST_PAUSE_AT: 'backup:scanned', SEDAI_TEST_MARKER: marker}});
	for (let i = 0; i < 300 && !fs.existsSync(marker); i++) {
		await sleep(50);
	}

	t.true(fs.existsSync(marker), 'the first backup reached its pause point');
	const second = await sedai(['backup', source, '--repo', repo, '--json'], {home});
	t.is(second.exitCode, 1);
	const error = second.lines.find(line => line['type'] === 'error');
	t.is(error?.['code'], 'locked');
	t.regex(String(error?.['message']), new RegExp(String.raw`in use by sedai backup \(pid ${first.pid}`));

	const unlockLive = await sedai(['unlock', '--repo', repo], {home});
	t.is(unlockLive.exitCode, 1);
	t.regex(unlockLive.stderr, /still running/);

	first.kill('SIGKILL');
	await first;
	const unlockDead = await sedai(['unlock', '--repo', repo, '--json'], {home});
	t.is(unlockDead.exitCode, 0);
	t.is(unlockDead.summary?.['removed'], 1);
	t.is((await sedai(['backup', source, '--repo', repo], {home})).exitCode, 0);
});
