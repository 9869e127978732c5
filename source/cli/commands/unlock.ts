import type {Command} from 'commander';
import {Repository} from '../../core/repository/repository.js';
import {describeHolder, removeStaleLocks} from '../../core/repository/lock.js';
import {SedaiError} from '../../core/errors.js';
import {requireRepo} from '../context.js';
import type {Output} from '../output.js';

type Options = {repo?: string; force?: boolean; json?: boolean};

export function registerUnlock(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('unlock')
		.description('remove locks left by Sedai processes that are gone (a live lock is refused)')
		.option('--repo <repo>', 'repository folder')
		.option('--force', 'also remove locks held from other machines (make sure they no longer use it)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const root = requireRepo(options);
			const config = await Repository.identify(root);
			const {layoutOf} = await import('../../core/repository/layout.js');
			const {removed, kept} = await removeStaleLocks(layoutOf(root), {force: options.force});
			for (const lock of removed) {
				output.record('removed', {operation: lock.operation, pid: lock.pid, host: lock.host, started: lock.started});
			}

			if (kept.length > 0) {
				const live = kept.map(lock => describeHolder(lock)).join('; ');
				const remote = kept.some(lock => lock.state === 'unknown');
				throw new SedaiError('locked', `"${config.label}" is locked by ${live}: ${remote ? 'that lock is from another machine; if it no longer uses this repository, run again with --force' : 'that process is still running; wait for it or stop it first'}.`, {kept: kept.length});
			}

			output.summary({ok: true, removed: removed.length}, [removed.length > 0
				? `Removed ${removed.length} stale lock(s) from "${config.label}": ${removed.map(lock => describeHolder(lock)).join('; ')}.`
				: `"${config.label}" has no locks.`]);
			return 0;
		}));
}
