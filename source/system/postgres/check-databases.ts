import type {DatabaseCheck, DatabasesCheck} from '../../report/drill-report.js';
import {findDumps} from './find-dumps.js';
import {findPostgres, postgresInstallHint, type PostgresInstall} from './find-postgres.js';
import {loadDump} from './load-dump.js';
import {startThrowawayServer} from './throwaway-server.js';

/**
 * The drill's application-level check: every PostgreSQL dump in the restored tree is loaded into
 * a throwaway server in the scratch folder, which is gone again when this returns (or throws).
 * `postgres` is for tests of the not-installed case; normally it is looked up.
 */
export async function checkDatabases(restoredRoot: string, scratch: string, options: {signal?: AbortSignal; postgres?: PostgresInstall | null} = {}): Promise<DatabasesCheck> {
	const postgres = options.postgres === undefined ? await findPostgres() : options.postgres;
	const dumps = await findDumps(restoredRoot);
	if (!postgres) {
		const found = dumps.length > 0 ? ` (${dumps.length} dump${dumps.length === 1 ? '' : 's'} found, not loaded)` : '';
		return {available: false, reason: 'postgres-missing', note: `${postgresInstallHint}${found}.`, databases: []};
	}

	if (dumps.length === 0) {
		return {available: true, reason: 'no-dumps', note: 'No PostgreSQL dump was found in the restored files.', databases: []};
	}

	const server = await startThrowawayServer(scratch, {signal: options.signal});
	try {
		const databases: DatabaseCheck[] = [];
		for (const dump of dumps) {
			databases.push(await loadDump(server, dump, {signal: options.signal}));
		}

		return {available: true, databases};
	} finally {
		await server.stop();
	}
}
