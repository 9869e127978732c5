import type {Command} from 'commander';
import {runVerify} from '../../core/jobs/verify.js';
import {exitCodes} from '../../core/errors.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {localState, openRepository, remember, type RepositoryOptions} from '../context.js';
import {recordVerification} from '../../settings/remember.js';
import type {Output} from '../output.js';
import {cancelOnSignals} from '../signals.js';

type Options = RepositoryOptions & {full?: boolean};

export function registerVerify(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('verify')
		.description('check a repository: structure, or with --full re-read and re-hash every byte')
		.option('--repo <repo>', 'repository folder')
		.option('--full', 'read every pack and re-hash every blob')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const repository = await openRepository(options);
			const signal = cancelOnSignals(output);
			const result = await runVerify(repository, {level: options.full ? 'full' : 'structure', signal, onEvent: output.onEvent});
			await remember(repository);
			try {
				recordVerification(localState(), result);
			} catch {
				// Recorded on the medium already; the local copy is a convenience.
			}

			for (const problem of result.problems) {
				output.record('problem', problem);
			}

			for (const generation of result.damagedGenerations) {
				output.record('damaged', generation);
			}

			const what = options.full ? 'Full verification' : 'Structure check';
			const counts = `${result.generations} generation(s), ${formatCount(result.packs)} pack(s), ${formatCount(result.blobs)} blob(s)${options.full ? `, ${formatBytes(result.bytesRead)} re-read` : ''}`;
			const human = result.ok
				? [...result.notes.map(note => `note: ${note}`), `${what} of "${repository.label}": OK. ${counts} in ${formatDuration(result.durationMs)}.`]
				: [
					...result.problems.map(problem => `damage: ${problem.message}`),
					...result.damagedGenerations.flatMap(generation => [
						`generation ${generation.shortId} (#${generation.seq}, ${generation.time}): ${generation.files.length} damaged file(s)`,
						...generation.files.slice(0, 20).map(file => `  ${file}`),
						...(generation.files.length > 20 ? [`  … and ${generation.files.length - 20} more (use --json for all)`] : []),
					]),
					`${what} of "${repository.label}" found DAMAGE: ${result.problems.length} problem(s). ${counts}. Restore damaged files from another cartridge or generation.`,
				];
			output.summary({
				ok: result.ok,
				level: result.level,
				repository: repository.root,
				label: repository.label,
				generations: result.generations,
				packs: result.packs,
				blobs: result.blobs,
				bytesRead: result.bytesRead,
				problems: result.problems.length,
				damagedGenerations: result.damagedGenerations.map(generation => ({id: generation.id, files: generation.files.length})),
				notes: result.notes,
				durationMs: result.durationMs,
			}, human);
			return result.ok ? exitCodes.ok : exitCodes.damage;
		}));
}
