import {firstLine} from '../run-tool.js';

/**
 * A plan's before/after command: run by /bin/sh with a time limit (killed when it runs over), its
 * output kept only for the one-sentence reason when it fails. Never throws.
 */
export type Hook = {command: string; timeoutSeconds: number};

export type HookResult = {ok: boolean; reason?: string};

export async function runHook(hook: Hook, signal?: AbortSignal): Promise<HookResult> {
	const {execa} = await import('execa');
	const result = await execa(hook.command, {
		shell: '/bin/sh',
		stdin: 'ignore',
		reject: false,
		timeout: hook.timeoutSeconds * 1000,
		...(signal ? {cancelSignal: signal} : {}),
	});
	if (result.timedOut) {
		return {ok: false, reason: `it ran longer than its limit of ${hook.timeoutSeconds} s and was stopped`};
	}

	if (result.exitCode !== 0) {
		const said = firstLine(String(result.stderr)) || firstLine(String(result.stdout));
		return {ok: false, reason: `it exited with ${result.exitCode === undefined ? String(result.signal) : `code ${result.exitCode}`}${said ? `: ${said}` : ''}`};
	}

	return {ok: true};
}
