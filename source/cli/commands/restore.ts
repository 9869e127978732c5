import type {Command} from 'commander';
import {runRestore} from '../../core/jobs/restore.js';
import {exitCodes, SedaiError} from '../../core/errors.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {localState, openRepository, type RepositoryOptions} from '../context.js';
import {recordDrill} from '../../settings/remember.js';
import type {Output} from '../output.js';
import {cancelOnSignals} from '../signals.js';

type Options = RepositoryOptions & {into?: string; include?: string[]; force?: boolean};

export function registerRestore(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('restore')
		.description('restore a generation (or parts) into a folder, then verify every restored byte')
		.argument('<generation>', 'latest, latest~N, #SEQ or an id prefix')
		.option('--repo <repo>', 'repository folder')
		.option('--into <dir>', 'folder to restore into (created if missing; must be empty unless --force)')
		.option('--include <path...>', 'restore only these paths (as `sedai ls` shows them)')
		.option('--force', 'restore into a folder that is not empty, replacing files at the same paths')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (reference: string, options: Options) => run(options.json, async output => {
			if (!options.into) {
				throw new SedaiError('usage', 'Where to? Pass --into DIR (an empty scratch folder for a test restore).');
			}

			const repository = await openRepository(options);
			const signal = cancelOnSignals(output);
			const result = await runRestore(repository, {generation: reference, into: options.into, include: options.include, force: options.force, signal, onEvent: output.onEvent});
			try {
				recordDrill(localState(), repository, result);
			} catch {
				// A drill record is bookkeeping; the restore itself stands.
			}

			for (const problem of result.mismatches) {
				output.record('mismatch', problem);
			}

			for (const problem of result.refused) {
				output.record('refused', problem);
			}

			const ok = result.mismatches.length === 0 && result.refused.length === 0;
			const rate = result.restoreMs > 0 ? result.bytes / (result.restoreMs / 1000) : 0;
			output.summary({
				ok,
				generation: result.generation.id,
				into: result.into,
				files: result.files,
				dirs: result.dirs,
				symlinks: result.symlinks,
				bytes: result.bytes,
				restoreMs: result.restoreMs,
				verifyMs: result.verifyMs,
				verified: result.verified,
				mismatches: result.mismatches.length,
				refused: result.refused.length,
				warnings: result.warnings,
			}, [
				...result.refused.map(problem => `refused: ${problem.path}: ${problem.reason}`),
				...result.mismatches.map(problem => `MISMATCH: ${problem.path}: ${problem.reason}`),
				`Restored ${formatCount(result.files)} files (${formatBytes(result.bytes)}) of generation ${result.generation.shortId} (#${result.generation.seq}) into ${result.into} in ${formatDuration(result.restoreMs)} (${formatBytes(rate)}/s).`,
				ok
					? `Verified every restored file byte for byte in ${formatDuration(result.verifyMs)}: all match.`
					: `${result.mismatches.length} file(s) do NOT match and ${result.refused.length} path(s) were refused: do not rely on this restore; try another generation or cartridge.`,
			]);
			return ok ? exitCodes.ok : exitCodes.damage;
		}));
}
