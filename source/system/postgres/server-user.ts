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

/** The `postgres` system user when the package created it, else `nobody`. */
export async function unprivilegedServerUser(): Promise<ServerUser | undefined> {
	return (await lookUp('postgres')) ?? lookUp('nobody');
}
