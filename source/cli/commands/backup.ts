import type {Command} from 'commander';
import {runBackup} from '../../core/jobs/backup.js';
import {SedaiError} from '../../core/errors.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {localState, openRepository, remember, type RepositoryOptions} from '../context.js';
import {assertWritableMedium} from '../../system/write-protect.js';
import {protectNewGeneration} from '../../system/seal-protection.js';
import type {Output} from '../output.js';
import {cancelOnSignals} from '../signals.js';
import {reportSentinel, runPlanBackup, sentinelFromSettings} from './backup-plan.js';

type Options = RepositoryOptions & {tag?: string[]; plan?: string};

export function registerBackup(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('backup')
		.description('back up folders or files into a new sealed generation')
		.argument('[source...]', 'folders or files to back up (never written to)')
		.option('--repo <repo>', 'repository folder')
		.option('--plan <name>', 'back up a plan\'s sources to each of its targets that is connected')
		.option('--tag <tag...>', 'tags to record with the generation')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (sources: string[], options: Options) => run(options.json, async output => {
			if (options.plan) {
				return runPlanBackup(options.plan, options, output);
			}

			if (sources.length === 0) {
				throw new SedaiError('usage', 'What to back up? Name folders or files, or use --plan NAME.');
			}

			const repository = await openRepository(options);
			await assertWritableMedium(repository.root, repository.label);
			const signal = cancelOnSignals(output);
			const result = await runBackup(repository, {sources, tags: options.tag, signal, onEvent: output.onEvent, sentinel: sentinelFromSettings(output)});
			const {generation} = result;
			await remember(repository);
			const protection = await protectNewGeneration(localState(), repository.id, generation.id, result.writtenFiles);
			reportSentinel(output, generation, `"${repository.label}"`);
			const {totals} = generation;
			output.summary({
				ok: true,
				generation: generation.id,
				shortId: generation.shortId,
				seq: generation.seq,
				time: generation.time,
				repository: repository.root,
				label: repository.label,
				files: totals.files,
				dirs: totals.dirs,
				bytes: totals.bytes,
				newBytes: totals.newBytes,
				storedBytes: totals.storedBytes,
				changedFiles: result.changedFiles,
				unchangedFiles: result.reusedFiles,
				warnings: result.warnings,
				durationMs: totals.durationMs,
				suspect: generation.sentinel?.suspect ?? false,
				protection: protection.protection,
				...(protection.note ? {protectionNote: protection.note} : {}),
				...(generation.sentinel?.suspect ? {suspectReasons: generation.sentinel.reasons} : {}),
			}, [
				`Sealed generation ${generation.shortId} (#${generation.seq}) in "${repository.label}": ${formatCount(totals.files)} files, ${formatBytes(totals.bytes)}; ${formatBytes(totals.newBytes)} new (${formatBytes(totals.storedBytes)} written) in ${formatDuration(totals.durationMs)}.`,
				`Protection: ${protection.protection}${protection.note ? ` (${protection.note})` : ''}.`,
				...(result.warnings > 0 ? [`${result.warnings} warning(s): see above.`] : []),
			]);
			return 0;
		}));
}
