import path from 'node:path';
import type {Readable} from 'node:stream';
import type {ServerConnection} from './throwaway-server.js';

export type ClientResult = {ok: boolean; exitCode: number | undefined; stdout: string; stderr: string; cancelled: boolean};

type ClientOptions = {
	signal?: AbortSignal;
	timeoutMs?: number;
	input?: string;
	/** Fed to the program's stdin by this process, so an unprivileged program needs no access to it. */
	inputFile?: string;
	/** The same, from a stream (a dump with a statement left out). */
	inputStream?: Readable;
	/** Run as the server's unprivileged account (when Sedai is root). */
	unprivileged?: boolean;
};

function stdinOf(options: ClientOptions) {
	if (options.inputStream !== undefined) {
		// A stream without a file descriptor goes through a pipe.
		return {stdin: [options.inputStream, 'pipe' as const]};
	}

	if (options.inputFile !== undefined) {
		return {inputFile: options.inputFile};
	}

	return options.input === undefined ? {stdin: 'ignore' as const} : {input: options.input};
}

/**
 * Run one of PostgreSQL's client programs (psql, pg_restore, pg_isready) against a throwaway
 * server. The caller's own PG* variables are not passed on: nothing may point a drill at a live
 * database. C locale keeps PostgreSQL's messages stable; UTF8 keeps Japanese names intact.
 */
export async function runClient(server: ServerConnection, program: string, args: string[], options: ClientOptions = {}): Promise<ClientResult> {
	const {execa} = await import('execa');
	const command = path.join(server.bin, program);
	const argv = options.unprivileged && server.account ? ['setpriv', `--reuid=${server.account.uid}`, `--regid=${server.account.gid}`, '--clear-groups', '--', command, ...args] : [command, ...args];
	const result = await execa(argv[0], argv.slice(1), {
		reject: false,
		extendEnv: false,
		env: {
			PATH: process.env['PATH'] ?? '/usr/bin:/bin',
			LC_ALL: 'C',
			PGHOST: server.socketDir,
			PGPORT: String(server.port),
			PGUSER: server.superuser,
			// eslint-disable-next-line unicorn/text-encoding-identifier-case -- PostgreSQL's name for it
			PGCLIENTENCODING: 'UTF8',
			PGPASSFILE: '/dev/null',
		},
		...stdinOf(options),
		stripFinalNewline: false,
		...(options.signal ? {cancelSignal: options.signal} : {}),
		...(options.timeoutMs ? {timeout: options.timeoutMs} : {}),
	});
	return {
		ok: result.exitCode === 0 && !result.isCanceled && !result.timedOut,
		exitCode: result.exitCode,
		stdout: typeof result.stdout === 'string' ? result.stdout : '',
		stderr: typeof result.stderr === 'string' ? result.stderr : '',
		cancelled: Boolean(result.isCanceled),
	};
}

/** PostgreSQL's own complaint, its first few lines, for the report. */
export function firstLines(text: string, count = 3): string {
	return text.split('\n').map(line => line.trimEnd()).filter(Boolean).slice(0, count).join('\n');
}
