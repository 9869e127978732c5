/**
 * The environment every child process gets: this process's, without the secrets Sedai was given
 * (a tool has no business with the passphrase, and /proc/PID/environ would show it), plus the
 * caller's additions. Pass it with `extendEnv: false`, or execa merges process.env back in.
 */
export const secretVariables = ['SEDAI_PASSPHRASE', 'SEDAI_RECOVERY_KEY'] as const;

export function childEnvironment(extra: Record<string, string> = {}): Record<string, string | undefined> {
	const secret = new Set<string>(secretVariables);
	return Object.fromEntries(Object.entries({...process.env, ...extra}).filter(([name]) => !secret.has(name)));
}
