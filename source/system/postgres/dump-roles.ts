import {createReadStream} from 'node:fs';
import readline from 'node:readline';

// Statements by which a plain dump names roles: ownership, privileges, session identity.
const roleStatement = /^(?:ALTER\b.*\bOWNER TO|GRANT\b.*\bTO|REVOKE\b.*\bFROM|ALTER DEFAULT PRIVILEGES FOR ROLE|SET SESSION AUTHORIZATION|SET ROLE)\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/;
const builtIn = new Set(['public', 'current_user', 'session_user', 'current_role', 'default']);

/**
 * The roles a plain dump assigns owners and privileges to. The throwaway server has none of the
 * clinic's roles, and psql with ON_ERROR_STOP would fail on the first `OWNER TO`; creating them
 * first keeps that failure from hiding whether the data loads. One streaming pass over the file.
 */
export async function rolesNamedIn(file: string): Promise<string[]> {
	const roles = new Set<string>();
	const lines = readline.createInterface({input: createReadStream(file, {encoding: 'utf8'}), crlfDelay: Number.POSITIVE_INFINITY});
	for await (const line of lines) {
		const match = roleStatement.exec(line);
		if (match) {
			const raw = match[1];
			const name = raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw.toLowerCase();
			if (!builtIn.has(name.toLowerCase()) && !name.startsWith('pg_')) {
				roles.add(name);
			}
		}
	}

	return [...roles].sort();
}

/** A role name as a quoted SQL identifier: safe for any name a dump may carry. */
export function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}
