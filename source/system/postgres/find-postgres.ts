import fs from 'node:fs/promises';
import path from 'node:path';
import {runTool} from '../run-tool.js';

/** Where PostgreSQL's server programs live and which version they are. */
export type PostgresInstall = {
	/** The folder holding initdb, postgres, psql, pg_restore and pg_isready. */
	bin: string;
	/** As initdb reports it, e.g. "15.18". */
	version: string;
};

export const postgresInstallHint = 'PostgreSQL is not installed: apt-get install postgresql';

const debianRoot = '/usr/lib/postgresql';
const programs = ['initdb', 'postgres', 'psql', 'pg_restore', 'pg_isready'];

async function hasPrograms(bin: string): Promise<boolean> {
	const found = await Promise.all(programs.map(async program => fs.access(path.join(bin, program), fs.constants.X_OK).then(() => true, () => false)));
	return found.every(Boolean);
}

/** Debian keeps each major version apart (/usr/lib/postgresql/15/bin, not on PATH): newest first. */
async function debianCandidates(): Promise<string[]> {
	const versions = await fs.readdir(debianRoot).catch(() => []);
	return versions
		.filter(name => /^\d+(\.\d+)?$/.test(name))
		.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
		.map(name => path.join(debianRoot, name, 'bin'));
}

function pathCandidates(): string[] {
	return (process.env['PATH'] ?? '').split(path.delimiter).filter(folder => path.isAbsolute(folder));
}

async function versionOf(bin: string): Promise<string | undefined> {
	const result = await runTool(path.join(bin, 'initdb'), ['--version'], {timeoutMs: 10_000});
	return result.ok ? /(\d+(?:\.\d+)+|\d+)/.exec(result.stdout)?.[1] : undefined;
}

/** The newest PostgreSQL with every program the drill needs, or undefined when there is none. */
export async function findPostgres(): Promise<PostgresInstall | undefined> {
	for (const bin of [...await debianCandidates(), ...pathCandidates()]) {
		if (await hasPrograms(bin)) {
			const version = await versionOf(bin);
			if (version) {
				return {bin, version};
			}
		}
	}

	return undefined;
}
