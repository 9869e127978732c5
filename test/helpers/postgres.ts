import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {findPostgres, type PostgresInstall} from '../../source/system/postgres/find-postgres.js';
import {startThrowawayServer, type ThrowawayServer} from '../../source/system/postgres/throwaway-server.js';

/**
 * A real source PostgreSQL for tests: a server of its own in a temporary folder (Unix socket only,
 * as an unprivileged user when the test runs as root), a small clinic database with known row
 * counts, and real pg_dump output. Without PostgreSQL it throws one clear sentence: tests fail,
 * never skip (under CI=true a missing capability is a broken runner). Always pair with
 * `t.teardown(() => source.stop())`.
 */
export async function requirePostgres(): Promise<PostgresInstall> {
	const install = await findPostgres();
	if (!install) {
		throw new Error(`These tests need a real PostgreSQL: apt-get install postgresql (see .ci/run).${process.env['CI'] === 'true' ? ' (CI=true: this is a failure, not a skip.)' : ''}`);
	}

	return install;
}

export type SourcePostgres = {
	server: ThrowawayServer;
	/** Run SQL (psql -c, stop on error) in a database and return its unaligned, tuples-only output. */
	sql: (sql: string, database?: string) => Promise<string>;
	/** Pg_dump a database to a file: plain SQL or custom format (-Fc); `create`: with -C (CREATE DATABASE and \connect). */
	dump: (database: string, file: string, format: 'plain' | 'custom', options?: {create?: boolean}) => Promise<void>;
	stop: () => Promise<void>;
};

/** The clinic database's tables and the row counts the tests expect after a load. */
export const clinicTables = [
	{schema: 'public', name: 'patients', rows: 120},
	{schema: 'public', name: 'visits', rows: 450},
	{schema: 'karte', name: '処方', rows: 75},
] as const;

function clientEnvironment(server: ThrowawayServer): Record<string, string> {
	// eslint-disable-next-line unicorn/text-encoding-identifier-case -- PostgreSQL's spelling
	return {PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: server.superuser, PGCLIENTENCODING: 'UTF8'};
}

export async function startSourcePostgres(): Promise<SourcePostgres> {
	await requirePostgres();
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sedai-pg-source-'));
	const server = await startThrowawayServer(folder);
	const env = clientEnvironment(server);
	return {
		server,
		async sql(sql, database = 'postgres') {
			const result = await execa(path.join(server.bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql], {env, extendEnv: false});
			return result.stdout;
		},
		async dump(database, file, format, options = {}) {
			await execa(path.join(server.bin, 'pg_dump'), [...(format === 'custom' ? ['-Fc'] : []), ...(options.create ? ['-C'] : []), '-f', file, database], {env, extendEnv: false});
		},
		async stop() {
			await server.stop();
			fs.rmSync(folder, {recursive: true, force: true});
		},
	};
}

/**
 * Create the clinic database: owned by an application role the drill's server does not know
 * (as at a real clinic), a second schema, a Japanese table name, and known row counts.
 */
export async function createClinicDatabase(source: SourcePostgres, name = 'clinic'): Promise<void> {
	// Idempotent: a second clinic database on the same server shares the role.
	await source.sql('DO $$ BEGIN CREATE ROLE ehr_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$');
	await source.sql(`CREATE DATABASE ${name} OWNER ehr_app`);
	await source.sql(`
		SET ROLE ehr_app;
		CREATE TABLE patients (id int PRIMARY KEY, name text NOT NULL, born date);
		CREATE TABLE visits (id int PRIMARY KEY, patient int REFERENCES patients, note text);
		CREATE SCHEMA karte;
		CREATE TABLE karte."処方" (id int PRIMARY KEY, patient int REFERENCES patients, drug text);
		INSERT INTO patients SELECT i, '患者 ' || i, date '1950-01-01' + i FROM generate_series(1, 120) i;
		INSERT INTO visits SELECT i, 1 + i % 120, 'visit ' || i FROM generate_series(1, 450) i;
		INSERT INTO karte."処方" SELECT i, 1 + i % 120, 'ロキソニン' FROM generate_series(1, 75) i;
	`, name);
}

/** Process ids whose command line mentions a folder: a server left running there shows up. */
export function processesMentioning(folder: string): number[] {
	return fs.readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter(pid => {
		try {
			return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
		} catch {
			return false;
		}
	}).map(Number);
}

/** Alive and not a zombie (a container's init may never reap an orphan). */
export function isRunning(pid: number): boolean {
	try {
		const state = /\)\s+(\S)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
		return state !== undefined && state !== 'Z' && state !== 'X';
	} catch {
		return false;
	}
}
