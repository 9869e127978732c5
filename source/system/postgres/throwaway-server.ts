import {rmSync} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {SedaiError} from '../../core/errors.js';
import {childEnvironment} from '../child-environment.js';
import {isRoot} from '../run-tool.js';
import {findPostgres, postgresInstallHint, type PostgresInstall} from './find-postgres.js';
import {firstLines, runClient} from './pg-client.js';
import {lendSearchAccess, noChange, unsearchableParent, type ScratchAccess} from './scratch-access.js';
import {unprivilegedServerUser, type ServerUser} from './server-user.js';

/** What a client needs to reach a throwaway server. */
export type ServerConnection = {
	/** PostgreSQL's program folder. */
	bin: string;
	/** The folder holding the server's Unix socket (its own folder: no TCP at all). */
	socketDir: string;
	port: number;
	superuser: string;
	/** When Sedai is root: the unprivileged account the server (and psql loading a dump) runs as. */
	account?: ServerUser;
};

export type ThrowawayServer = ServerConnection & {
	/** The server's private folder inside the scratch folder: data, socket, log. Removed by stop(). */
	dir: string;
	version: string;
	/** The postmaster's process id. */
	pid: number;
	/** The account the server runs as (the user running Sedai unless that is root). */
	user: string;
	/** Stop the server (fast shutdown) and remove its folder. Idempotent. */
	stop: () => Promise<void>;
};

const port = 5432;
const superuser = 'postgres';
const startTimeoutMs = 60_000;
/** Sun_path holds 108 bytes including the final NUL. */
const maxSocketPath = 107;

type Spawned = {pid: number; exited: Promise<unknown>; hasExited: () => boolean; kill: (signal: NodeJS.Signals) => void};

export function asUser(user: ServerUser | undefined, command: string[]): string[] {
	// The inner setpriv sets the parent-death signal after the switch of user (which clears it):
	// if Sedai dies, even by SIGKILL, the server shuts down immediately.
	const deathSignal = ['setpriv', '--pdeathsig=SIGQUIT', '--'];
	return user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...deathSignal, ...command] : [...deathSignal, ...command];
}

async function run(argv: string[], signal: AbortSignal | undefined): Promise<{ok: boolean; output: string}> {
	const {execa} = await import('execa');
	const result = await execa(argv[0], argv.slice(1), {reject: false, extendEnv: false, env: childEnvironment({LC_ALL: 'C'}), stdin: 'ignore', all: true, timeout: 120_000, ...(signal ? {cancelSignal: signal} : {})});
	if (result.isCanceled) {
		throw new SedaiError('cancelled', 'The database check was cancelled.');
	}

	return {ok: result.exitCode === 0 && !result.timedOut, output: typeof result.all === 'string' ? result.all : ''};
}

function quoteListItem(folder: string): string {
	if (/["\n]/.test(folder)) {
		throw new SedaiError('unsafe-path', `The scratch folder ${folder} has a double quote or line break in its name, which PostgreSQL cannot take as a socket folder: choose another scratch folder.`);
	}

	return `"${folder}"`;
}

async function spawnServer(install: PostgresInstall, user: ServerUser | undefined, dir: string): Promise<Spawned> {
	const {execa} = await import('execa');
	const log = path.join(dir, 'server.log');
	const settings = {

		listen_addresses: '',

		unix_socket_directories: quoteListItem(dir),

		unix_socket_permissions: '0700',
		port: String(port),
		// A throwaway copy: durability buys nothing, speed matters.
		fsync: 'off',

		full_page_writes: 'off',

		synchronous_commit: 'off',

		shared_buffers: '32MB',

		max_connections: '20',

		logging_collector: 'off',
	};
	const args = ['-D', path.join(dir, 'data'), ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
	const argv = asUser(user, [path.join(install.bin, 'postgres'), ...args]);
	const child = execa(argv[0], argv.slice(1), {reject: false, extendEnv: false, env: childEnvironment({LC_ALL: 'C'}), stdin: 'ignore', stdout: {file: log, append: true}, stderr: {file: log, append: true}});
	let exited = false;
	const done = child.then(() => {
		exited = true;
	});
	return {
		pid: child.pid!,
		exited: done,
		hasExited: () => exited,
		kill(signal) {
			child.kill(signal);
		},
	};
}

async function logTail(dir: string): Promise<string> {
	const text = await fs.readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '');
	return text.trim().split('\n').slice(-3).join(' ');
}

/** Poll pg_isready until the server answers; stop early if it has died or the drill is cancelled. */
async function waitUntilReady(connection: ServerConnection, server: Spawned, dir: string, signal: AbortSignal | undefined): Promise<void> {
	const deadline = Date.now() + startTimeoutMs;
	while (Date.now() < deadline) {
		if (server.hasExited()) {
			throw new SedaiError('io', `The throwaway PostgreSQL server stopped while starting: ${await logTail(dir)}`);
		}

		const ready = await runClient(connection, 'pg_isready', ['-q', '-t', '5'], {signal});
		if (ready.cancelled) {
			throw new SedaiError('cancelled', 'The database check was cancelled.');
		}

		if (ready.ok) {
			return;
		}

		await Promise.race([delay(100, undefined, {signal}).catch(() => undefined), server.exited]);
	}

	throw new SedaiError('io', `The throwaway PostgreSQL server did not answer within ${startTimeoutMs / 1000} s: ${await logTail(dir)}`);
}

async function prepareFolder(scratch: string, user: ServerUser | undefined): Promise<{dir: string; access: ScratchAccess}> {
	const dir = await fs.mkdtemp(path.join(path.resolve(scratch), 'pg-'));
	if (path.join(dir, `.s.PGSQL.${port}`).length > maxSocketPath) {
		await fs.rm(dir, {recursive: true, force: true});
		throw new SedaiError('unsafe-path', `The scratch folder ${scratch} is too deep for a Unix socket (at most ${maxSocketPath} bytes): choose a shorter scratch path.`);
	}

	if (!user) {
		return {dir, access: noChange};
	}

	const blocked = unsearchableParent(scratch, user);
	if (blocked) {
		await fs.rm(dir, {recursive: true, force: true});
		throw new SedaiError('bad-config', `The drill's throwaway PostgreSQL runs as "${user.name}", which cannot reach the scratch folder ${path.resolve(scratch)} because ${blocked} is not searchable by it: run chmod o+x ${blocked}, or set a scratch folder under /var/tmp in the settings (scratch).`);
	}

	await fs.chown(dir, user.uid, user.gid);
	return {dir, access: lendSearchAccess(scratch, user)};
}

/**
 * Start a private PostgreSQL for loading restored dumps: initdb in a new folder inside the scratch
 * folder, listening only on a Unix socket there, run as an unprivileged user when Sedai is root.
 * The server is stopped and its folder removed by stop(), on abort, and at process exit.
 */
export async function startThrowawayServer(scratch: string, options: {signal?: AbortSignal} = {}): Promise<ThrowawayServer> {
	const {signal} = options;
	if (signal?.aborted) {
		throw new SedaiError('cancelled', 'The database check was cancelled.');
	}

	const install = await findPostgres();
	if (!install) {
		throw new SedaiError('tool-missing', `${postgresInstallHint}.`);
	}

	const user = isRoot() ? await unprivilegedServerUser() : undefined;
	if (isRoot() && !user) {
		throw new SedaiError('tool-missing', 'PostgreSQL refuses to run as root and this system has neither a postgres nor a nobody user: apt-get install postgresql creates one.');
	}

	const {dir, access} = await prepareFolder(scratch, user);
	let spawned: Spawned | undefined;
	const removeNow = () => {
		// Synchronous, for the exit handler: immediate shutdown, then the folder goes.
		if (spawned && !spawned.hasExited()) {
			spawned.kill('SIGQUIT');
		}

		rmSync(dir, {recursive: true, force: true, maxRetries: 5});
		access.restore();
	};

	process.on('exit', removeNow);
	let stopping: Promise<void> | undefined;
	const stop = async () => {
		stopping ??= (async () => {
			signal?.removeEventListener('abort', onAbort);
			if (spawned && !spawned.hasExited()) {
				spawned.kill('SIGINT');
				const gone = await Promise.race([spawned.exited.then(() => true), delay(30_000, false)]);
				if (!gone) {
					spawned.kill('SIGKILL');
					await spawned.exited;
				}
			}

			await fs.rm(dir, {recursive: true, force: true, maxRetries: 5});
			access.restore();
			process.off('exit', removeNow);
		})();
		return stopping;
	};

	const onAbort = () => {
		void stop();
	};

	signal?.addEventListener('abort', onAbort, {once: true});
	try {
		const initdb = await run(asUser(user, [path.join(install.bin, 'initdb'), '-D', path.join(dir, 'data'), '-U', superuser, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions']), signal);
		if (!initdb.ok) {
			throw new SedaiError('io', `initdb could not create the throwaway database cluster in ${dir}: ${firstLines(initdb.output, 2)}`);
		}

		spawned = await spawnServer(install, user, dir);
		const connection: ServerConnection = {bin: install.bin, socketDir: dir, port, superuser, ...(user ? {account: user} : {})};
		await waitUntilReady(connection, spawned, dir, signal);
		return {...connection, dir, version: install.version, pid: spawned.pid, user: user?.name ?? '', stop};
	} catch (error) {
		await stop();
		throw signal?.aborted ? new SedaiError('cancelled', 'The database check was cancelled.') : error;
	}
}
