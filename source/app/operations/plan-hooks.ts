import {SedaiError} from '../../core/errors.js';
import {runHook, type Hook} from '../../system/hooks/run-hook.js';
import type {JobHandle} from './job.js';

/**
 * A plan's before and after commands (stop the EHR's writer, restart it). Before: the first that
 * fails stops the run before anything is read. After: every one runs, whatever happened; a failure
 * is a warning, the backup stands.
 */
export async function runBefore(hooks: Hook[], signal: AbortSignal | undefined): Promise<void> {
	for (const hook of hooks) {
		const result = await runHook(hook, signal);
		if (!result.ok) {
			throw new SedaiError('hook-failed', `The plan's before command \`${hook.command}\` failed (${result.reason ?? 'unknown'}): nothing was backed up; fix the command or remove it from plans[].before.`);
		}
	}
}

export async function runAfter(hooks: Hook[], job: JobHandle): Promise<void> {
	for (const hook of hooks) {
		// Not cancellable: an after command often restarts what a before command stopped.
		const result = await runHook(hook);
		if (!result.ok) {
			job.warn('hook-failed', `The plan's after command \`${hook.command}\` failed (${result.reason ?? 'unknown'}); the backup itself is not affected.`);
		}
	}
}
