import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError} from '../../core/errors.js';
import {firstLine} from '../run-tool.js';
import {findPostgres} from './find-postgres.js';

/**
 * A PostgreSQL database as a stream for the backup: `pg_dump -Fc` writes to a pipe that the
 * engine reads straight into the generation, so no copy of patient data lands on disk. It runs as
 * the configured role (-U) and never prompts (-w); a password comes only from a passfile
 * (PGPASSFILE), never from the command line. A dump that fails throws pg_dump's own reason.
 */
export type PostgresDump = {
	kind: 'postgresql';
	database: string;
	host?: string;
	port?: number;
	user?: string;
	passwordFile?: string;
};

/** Pg_dump from the newest installed PostgreSQL, else whichever is on PATH. */
async function pgDumpProgram(): Promise<string> {
	const install = await findPostgres();
	const candidate = install && path.join(install.bin, 'pg_dump');
	return candidate && await fs.access(candidate, fs.constants.X_OK).then(() => true, () => false) ? candidate : 'pg_dump';
}

export function dumpArguments(dump: PostgresDump): string[] {
	return [
		'--format=custom',
		'--no-password',
		...(dump.host ? [`--host=${dump.host}`] : []),
		...(dump.port ? [`--port=${dump.port}`] : []),
		...(dump.user ? [`--username=${dump.user}`] : []),
		// Dbname=… keeps a name with "=" or a leading "-" from being read as an option or a connection string.
		`--dbname=dbname='${dump.database.replaceAll('\\', String.raw`\\`).replaceAll('\'', String.raw`\'`)}'`,
	];
}

/** The dump's bytes as pg_dump writes them; throws a SedaiError when pg_dump fails or is missing. */
export async function * pgDumpStream(dump: PostgresDump, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
	const {execa} = await import('execa');
	const child = execa(await pgDumpProgram(), dumpArguments(dump), {
		stdin: 'ignore',
		buffer: {stdout: false, stderr: true},
		encoding: 'buffer',
		reject: false,
		env: {LC_ALL: 'C', ...(dump.passwordFile ? {PGPASSFILE: dump.passwordFile} : {})},
		...(signal ? {cancelSignal: signal} : {}),
	});
	let finished = false;
	try {
		for await (const piece of child.stdout) {
			yield piece;
		}

		const result = await child;
		finished = true;
		if ((result as {code?: string}).code === 'ENOENT') {
			throw new SedaiError('tool-missing', `pg_dump is not installed, so the database "${dump.database}" cannot be dumped: apt-get install postgresql-client. No generation was sealed.`);
		}

		if (result.exitCode !== 0) {
			const reason = firstLine(Buffer.from(result.stderr).toString('utf8')) || `exit code ${String(result.exitCode ?? result.signal)}`;
			throw new SedaiError('dump-failed', `The dump of the database "${dump.database}" failed (${reason}): no generation was sealed; check the plan's dumps settings and that PostgreSQL is running.`);
		}
	} finally {
		if (!finished) {
			// The backup stopped reading (cancelled, a medium failed): pg_dump must not linger.
			child.kill();
			await child.catch(() => undefined);
		}
	}
}
