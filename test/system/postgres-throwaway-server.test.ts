import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {execa} from 'execa';
import {startThrowawayServer} from '../../source/system/postgres/throwaway-server.js';
import {isRunning, processesMentioning, requirePostgres} from '../helpers/postgres.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

const fixture = path.resolve(import.meta.dirname, '..', 'fixtures', 'postgres-start-then-exit.ts');

test.before(async () => {
	await requirePostgres();
});

function privateScratch(t: {teardown: (fn: () => void) => void}): string {
	const scratch = temporaryDirectory('sedai-scratch-');
	fs.chmodSync(scratch, 0o700);
	t.teardown(() => {
		removeTree(scratch);
	});
	return scratch;
}

/** Wait for a state, bounded: a server told to go may take a moment to be gone. */
async function until(condition: () => boolean, ms = 30_000): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) {
			return false;
		}

		await delay(50);
	}

	return true;
}

/** The process's real uid; undefined once it has exited (postgres starts and ends short-lived workers). */
function uidOf(pid: number): number | undefined {
	try {
		return Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
	} catch (error) {
		if ((error as {code?: string}).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}
}

function childrenOf(pid: number): number[] {
	return fs.readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter(entry => {
		try {
			return /^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] === String(pid);
		} catch {
			return false;
		}
	}).map(Number);
}

const isRoot = process.getuid?.() === 0;
// Under CI=true (as root) this must run; elsewhere a non-root run has no user switch to test.
const rootTest = isRoot || process.env['CI'] === 'true' ? test : test.skip;

rootTest('as root the server and all its processes run as an unprivileged user, on a Unix socket in its own folder only', async t => {
	if (!isRoot) {
		throw new Error('This test needs root (uid 0): CI runs as root with CI=true.');
	}

	const scratch = privateScratch(t);
	const server = await startThrowawayServer(scratch);
	t.teardown(async () => server.stop());
	t.is(path.dirname(server.dir), scratch);
	t.is(server.socketDir, server.dir);
	t.true(fs.existsSync(path.join(server.dir, '.s.PGSQL.5432')));
	const serverUid = uidOf(server.pid);
	t.true(serverUid !== undefined && serverUid !== 0, 'the postmaster runs, and not as root');
	const children = childrenOf(server.pid);
	t.true(children.length > 0, 'postgres runs its background workers');
	const uids = children.map(child => uidOf(child)).filter(uid => uid !== undefined);
	t.true(uids.length > 0, 'at least one background worker is still there to look at');
	for (const uid of uids) {
		t.not(uid, 0);
	}

	t.is(fs.statSync(path.join(server.dir, 'data')).uid, serverUid!);
	// The lent group search bit is the only access to the scratch folder: no read, no write.
	t.is(fs.statSync(scratch).mode & 0o077, 0o010);
	const settings = await execa(path.join(server.bin, 'psql'), ['-X', '-A', '-t', '-h', server.socketDir, '-U', server.superuser, '-d', 'postgres', '-c', 'SHOW listen_addresses'], {env: {LC_ALL: 'C'}});
	t.is(settings.stdout, '');
	await server.stop();
	t.false(isRunning(server.pid));
	t.false(fs.existsSync(server.dir));
	t.is(fs.statSync(scratch).mode & 0o777, 0o700);
});

test('aborting the signal stops the server and removes its folder', async t => {
	const scratch = privateScratch(t);
	const controller = new AbortController();
	const server = await startThrowawayServer(scratch, {signal: controller.signal});
	t.true(isRunning(server.pid));
	controller.abort();
	t.true(await until(() => !isRunning(server.pid) && !fs.existsSync(server.dir)));
	t.deepEqual(fs.readdirSync(scratch), []);
});

test('an aborted signal before the start starts nothing', async t => {
	const scratch = privateScratch(t);
	const controller = new AbortController();
	controller.abort();
	await t.throwsAsync(startThrowawayServer(scratch, {signal: controller.signal}), {name: 'SedaiError', message: /cancelled/});
	t.deepEqual(fs.readdirSync(scratch), []);
});

async function startThenEnd(scratch: string, ending: 'exit' | 'kill'): Promise<{pid: number; dir: string}> {
	const child = await execa('node', ['--import=tsx', fixture, scratch, ending], {reject: false});
	return JSON.parse(child.stdout.trim().split('\n')[0]) as {pid: number; dir: string};
}

test('a process that exits without stop() leaves no server running and no server folder', async t => {
	const scratch = privateScratch(t);
	const {pid, dir} = await startThenEnd(scratch, 'exit');
	t.true(await until(() => !isRunning(pid) && processesMentioning(dir).length === 0), 'the server shut down');
	t.false(fs.existsSync(dir), 'the exit handler removed the folder');
	t.is(fs.statSync(scratch).mode & 0o777, 0o700);
});

test('a process killed with SIGKILL leaves no server running (parent-death signal)', async t => {
	const scratch = privateScratch(t);
	const {pid, dir} = await startThenEnd(scratch, 'kill');
	t.true(await until(() => !isRunning(pid) && processesMentioning(dir).length === 0), 'the server shut down');
});

test('a scratch path too deep for a Unix socket is refused with one sentence', async t => {
	const scratch = privateScratch(t);
	const deep = path.join(scratch, 'd'.repeat(100));
	fs.mkdirSync(deep);
	await t.throwsAsync(startThrowawayServer(deep), {name: 'SedaiError', message: /too deep for a Unix socket/});
	t.deepEqual(fs.readdirSync(deep), []);
});
