import fs from 'node:fs/promises';
import path from 'node:path';
import type {DatabaseCheck, TableCount} from '../../report/drill-report.js';
import {SedaiError} from '../../core/errors.js';
import type {FoundDump} from './find-dumps.js';
import {firstLines, runClient, type ClientResult} from './pg-client.js';
import {quoteIdentifier, rolesNamedIn} from './dump-roles.js';
import {connectingDump, withoutCreate, type ConnectingDump} from './dump-database.js';
import type {ServerConnection} from './throwaway-server.js';

const unit = '\u001F';
const record = '\u001E';
const footer = '-- PostgreSQL database dump complete';
const tailBytes = 1024;

// Each database gets a fresh name on this server; the dump's file name makes it recognisable.
const namesUsed = new WeakMap<ServerConnection, number>();

function databaseName(server: ServerConnection, file: string): string {
	const count = (namesUsed.get(server) ?? 0) + 1;
	namesUsed.set(server, count);
	const slug = path.basename(file).toLowerCase().replaceAll(/[^a-z\d]+/g, '_').replaceAll(/^_+|_+$/g, '').slice(0, 40);
	return `drill_${count}${slug ? `_${slug}` : ''}`;
}

async function psql(server: ServerConnection, database: string, args: string[], signal?: AbortSignal): Promise<ClientResult> {
	const result = await runClient(server, 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database, ...args], {signal});
	if (result.cancelled) {
		throw new SedaiError('cancelled', 'The database check was cancelled.');
	}

	return result;
}

/** Pg_dump ends a plain dump with a closing comment: without it the file was cut short. */
async function endsLikeADump(file: string): Promise<boolean> {
	const handle = await fs.open(file, 'r');
	try {
		const {size} = await handle.stat();
		const buffer = Buffer.alloc(Math.min(tailBytes, size));
		await handle.read(buffer, 0, buffer.length, size - buffer.length);
		return buffer.toString('utf8').includes(footer);
	} finally {
		await handle.close();
	}
}

const builtInDatabases = new Set(['postgres', 'template0', 'template1']);

/**
 * A fresh database for the dump. One a -C dump names may be on this server from an earlier dump
 * of the same database (its tables are counted already): it starts afresh.
 */
async function createDatabase(server: ServerConnection, database: string, named: boolean, signal?: AbortSignal): Promise<ClientResult> {
	if (named && builtInDatabases.has(database)) {
		return {ok: true, exitCode: 0, stdout: '', stderr: '', cancelled: false};
	}

	if (named) {
		const dropped = await psql(server, 'postgres', ['-c', `DROP DATABASE IF EXISTS ${quoteIdentifier(database)}`], signal);
		if (!dropped.ok) {
			return dropped;
		}
	}

	return psql(server, 'postgres', ['-c', `CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE template0 ENCODING 'UTF8'`], signal);
}

async function createRoles(server: ServerConnection, file: string, signal?: AbortSignal): Promise<void> {
	const roles = await rolesNamedIn(file);
	for (const role of roles) {
		// Roles are shared by the whole throwaway server: one already made for an earlier dump is fine.

		await runClient(server, 'psql', ['-X', '-q', '-d', 'postgres', '-c', `CREATE ROLE ${quoteIdentifier(role)} NOLOGIN`], {signal});
	}
}

async function load(server: ServerConnection, dump: FoundDump, database: string, connecting: ConnectingDump | undefined, signal?: AbortSignal): Promise<string | undefined> {
	if (dump.format === 'plain') {
		await createRoles(server, dump.path, signal);
		// A plain dump is a psql script, and psql obeys meta-commands in it (\! runs a shell command,
		// \o writes files): it runs as the unprivileged account and reads the dump from stdin.
		const input = connecting ? {inputStream: withoutCreate(dump.path, connecting)} : {inputFile: dump.path};
		const result = await runClient(server, 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database, '-f', '-'], {signal, ...input, unprivileged: true});
		if (result.cancelled) {
			throw new SedaiError('cancelled', 'The database check was cancelled.');
		}

		if (!result.ok) {
			return firstLines(result.stderr) || `psql stopped with exit code ${result.exitCode ?? '?'}.`;
		}

		return (await endsLikeADump(dump.path)) ? undefined : `The dump loaded but lacks pg_dump's closing line "${footer}": the file is cut short.`;
	}

	// Owners and privileges name the clinic's roles, which this server does not have; the data is what counts.
	const result = await runClient(server, 'pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '-d', database, dump.path], {signal});
	if (result.cancelled) {
		throw new SedaiError('cancelled', 'The database check was cancelled.');
	}

	return result.ok ? undefined : (firstLines(result.stderr) || `pg_restore stopped with exit code ${result.exitCode ?? '?'}.`);
}

// One query lists the user tables; \gexec runs a count(*) for each, schema-qualified. Each row
// comes back as schema, name and count separated by control characters no name is likely to hold.
const countQuery = String.raw`SELECT format('SELECT %L || chr(31) || %L || chr(31) || count(*) || chr(30) FROM %I.%I', n.nspname, c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
ORDER BY n.nspname, c.relname
\gexec
`;

function parseCounts(stdout: string): TableCount[] {
	return stdout.split(record).filter(row => row.trim() !== '').map(row => {
		const [schema = '', name = '', rows = ''] = row.replace(/^\n/, '').split(unit);
		return {schema, name, rows: Number(rows.trim())};
	});
}

async function countRows(server: ServerConnection, database: string, signal?: AbortSignal): Promise<TableCount[] | string> {
	const result = await runClient(server, 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-d', database, '-f', '-'], {signal, input: countQuery});
	if (result.cancelled) {
		throw new SedaiError('cancelled', 'The database check was cancelled.');
	}

	return result.ok ? parseCounts(result.stdout) : (firstLines(result.stderr) || 'The tables could not be counted.');
}

/**
 * Load one dump into a fresh database on the throwaway server and count every user table's rows.
 * A dump that does not load is a result (ok false, PostgreSQL's own message), not an exception.
 */
export async function loadDump(server: ServerConnection, dump: FoundDump, options: {signal?: AbortSignal} = {}): Promise<DatabaseCheck> {
	const started = performance.now();
	// A dump made with -C connects to its own database: that is where its tables are.
	const connecting = dump.format === 'plain' ? await connectingDump(dump.path) : undefined;
	const database = connecting?.database ?? databaseName(server, dump.path);
	const result = (ok: boolean, tables: TableCount[], error?: string): DatabaseCheck => ({
		file: dump.path,
		format: dump.format,
		database,
		ok,
		tables,
		...(error === undefined ? {} : {error}),
		durationMs: Math.round(performance.now() - started),
	});
	const created = await createDatabase(server, database, connecting !== undefined, options.signal);
	if (!created.ok) {
		return result(false, [], firstLines(created.stderr));
	}

	const loadError = await load(server, dump, database, connecting, options.signal);
	const counted = await countRows(server, database, options.signal);
	if (typeof counted === 'string') {
		return result(false, [], loadError ?? counted);
	}

	return result(loadError === undefined, counted, loadError);
}
