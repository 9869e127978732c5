import {firstLine} from '../run-tool.js';

/**
 * A plan's before/after command: run by /bin/sh with a time limit, its output kept only for the
 * one-sentence reason when it fails. Never throws. It runs in a process group of its own so that
 * the limit stops what the shell started too (a `sleep` would otherwise hold the pipes open).
 */
export type Hook = {command: string; timeoutSeconds: number};

export type HookResult = {ok: boolean; reason?: string};

export async function runHook(hook: Hook, signal?: AbortSignal): Promise<HookResult> {
	const {execa} = await import('execa');
	const child = execa(hook.command, {shell: '/bin/sh', stdin: 'ignore', reject: false, detached: true});
	let timedOut = false;
	const stopGroup = () => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			// Already gone.
		}
	};

	const timer = setTimeout(() => {
		timedOut = true;
		stopGroup();
	}, hook.timeoutSeconds * 1000);
	signal?.addEventListener('abort', stopGroup);
	const result = await child.finally(() => {
		clearTimeout(timer);
		signal?.removeEventListener('abort', stopGroup);
	});
	if (timedOut) {
		return {ok: false, reason: `it ran longer than its limit of ${hook.timeoutSeconds} s and was stopped`};
	}

	if (result.exitCode !== 0) {
		const said = firstLine(String(result.stderr)) || firstLine(String(result.stdout));
		return {ok: false, reason: `it exited with ${result.exitCode === undefined ? String(result.signal) : `code ${result.exitCode}`}${said ? `: ${said}` : ''}`};
	}

	return {ok: true};
}
