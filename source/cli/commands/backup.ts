import type {Command} from 'commander';
import {runBackup} from '../../core/jobs/backup.js';
import {formatBytes, formatCount, formatDuration} from '../../ui/format.js';
import {openRepository, remember, type RepositoryOptions} from '../context.js';
import type {Output} from '../output.js';
import {cancelOnSignals} from '../signals.js';

type Options = RepositoryOptions & {tag?: string[]};

export function registerBackup(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('backup')
		.description('back up folders or files into a new sealed generation')
		.argument('<source...>', 'folders or files to back up (never written to)')
		.option('--repo <repo>', 'repository folder')
		.option('--tag <tag...>', 'tags to record with the generation')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (sources: string[], options: Options) => run(options.json, async output => {
			const repository = await openRepository(options);
			const signal = cancelOnSignals(output);
			const result = await runBackup(repository, {sources, tags: options.tag, signal, onEvent: output.onEvent});
			const {generation} = result;
			await remember(repository);
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
			}, [
				`Sealed generation ${generation.shortId} (#${generation.seq}) in "${repository.label}": ${formatCount(totals.files)} files, ${formatBytes(totals.bytes)}; ${formatBytes(totals.newBytes)} new (${formatBytes(totals.storedBytes)} written) in ${formatDuration(totals.durationMs)}.`,
				...(result.warnings > 0 ? [`${result.warnings} warning(s): see above.`] : []),
			]);
			return 0;
		}));
}
