import type {Command} from 'commander';
import {unlockMedium} from '../../app/operations/media-actions.js';
import {requireRepo} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = {repo?: string; force?: boolean; json?: boolean};

export function registerUnlock(program: Command, run: Runner): void {
	program.command('unlock')
		.description('remove locks left by Sedai processes that are gone (a live lock is refused)')
		.option('--repo <repo>', 'repository folder')
		.option('--force', 'also remove locks held from other machines (make sure they no longer use it)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const end = await unlockMedium(cliContext(output, {cancellable: false}), {repo: requireRepo(options), ...(options.force ? {force: true} : {})});
			return finish(output, end, result => {
				for (const lock of result.removed) {
					output.record('removed', lock);
				}

				return {
					data: {ok: true, removed: result.removed.length},
					human: [result.removed.length > 0 ? `Removed ${result.removed.length} stale lock(s) from "${result.label}": ${result.removedText.join('; ')}.` : `"${result.label}" has no locks.`],
				};
			});
		}));
}
