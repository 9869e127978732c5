import {runTool} from '../run-tool.js';

/** The account a throwaway PostgreSQL runs as: postgres refuses to run as root. */
export type ServerUser = {name: string; uid: number; gid: number};

async function lookUp(name: string): Promise<ServerUser | undefined> {
	const result = await runTool('getent', ['passwd', name], {timeoutMs: 10_000});
	const fields = result.ok ? result.stdout.trim().split(':') : [];
	const uid = Number(fields[2]);
	const gid = Number(fields[3]);
	return fields.length >= 4 && Number.isInteger(uid) && Number.isInteger(gid) && uid !== 0 ? {name, uid, gid} : undefined;
}

/**
 * `nobody`, else the `postgres` system user. Not postgres first: on a clinic's server that user
 * owns the live EHR cluster, and a tampered dump run by a superuser (COPY ... TO PROGRAM) could
 * reach it. `nobody` owns nothing.
 */
export async function unprivilegedServerUser(): Promise<ServerUser | undefined> {
	return (await lookUp('nobody')) ?? lookUp('postgres');
}
