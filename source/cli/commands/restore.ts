import type {Command} from 'commander';
import {restoreGeneration} from '../../app/operations/restore.js';
import {SedaiError} from '../../core/errors.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {requireRepo} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = {repo?: string; into?: string; include?: string[]; force?: boolean; keepDamagedNames?: boolean; passphraseFile?: string; recoveryKey?: string; json?: boolean};

export function registerRestore(program: Command, run: Runner): void {
	program.command('restore')
		.description('restore a generation (or parts) into a folder, then verify every restored byte')
		.argument('<generation>', 'latest, latest~N, #SEQ or an id prefix')
		.option('--repo <repo>', 'repository folder')
		.option('--into <dir>', 'folder to restore into (created if missing; must be empty unless --force)')
		.option('--include <path...>', 'restore only these paths (as `sedai ls` shows them)')
		.option('--force', 'restore into a folder that is not empty, replacing files at the same paths')
		.option('--keep-damaged-names', 'leave files with missing data under their real names (default: NAME.sedai-damaged)')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (reference: string, options: Options) => run(options.json, async output => {
			if (!options.into) {
				throw new SedaiError('usage', 'Where to? Pass --into DIR (an empty scratch folder for a test restore).');
			}

			const end = await restoreGeneration(cliContext(output, options), {repo: requireRepo(options), generation: reference, into: options.into, ...(options.include ? {include: options.include} : {}), ...(options.force ? {force: true} : {}), ...(options.keepDamagedNames ? {keepDamagedNames: true} : {})});
			return finish(output, end, result => {
				for (const problem of result.mismatches) {
					output.record('mismatch', problem);
				}

				for (const problem of result.refused) {
					output.record('refused', problem);
				}

				for (const file of result.damaged) {
					output.record('damaged', file);
				}

				const ok = end.status === 'ok';
				const rate = result.restoreMs > 0 ? result.bytes / (result.restoreMs / 1000) : 0;
				return {
					data: {
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
						damaged: result.damaged.length,
						warnings: result.warnings,
					},
					human: [
						...result.refused.map(problem => `refused: ${problem.path}: ${problem.reason}`),
						...result.mismatches.map(problem => `MISMATCH: ${problem.path}: ${problem.reason}`),
						...result.damaged.map(file => `DAMAGED: ${file.path} saved as ${file.savedAs} with ${file.missing.length} hole(s) where data is missing`),
						`Restored ${formatCount(result.files)} files (${formatBytes(result.bytes)}) of generation ${result.generation.shortId} (#${result.generation.seq}) into ${result.into} in ${formatDuration(result.restoreMs)} (${formatBytes(rate)}/s).`,
						ok
							? `Verified every restored file byte for byte in ${formatDuration(result.verifyMs)}: all match.`
							: `${result.mismatches.length} file(s) do NOT match and ${result.refused.length} path(s) were refused: do not rely on this restore; try another generation or cartridge.`,
					],
				};
			});
		}));
}
