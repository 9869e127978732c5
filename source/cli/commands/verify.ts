import type {Command} from 'commander';
import {verifyMedium, type VerifyResult} from '../../app/operations/verify.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {requireRepo} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = {repo?: string; full?: boolean; passphraseFile?: string; recoveryKey?: string; json?: boolean};

export function registerVerify(program: Command, run: Runner): void {
	program.command('verify')
		.description('check a repository: structure, or with --full re-read and re-hash every byte')
		.option('--repo <repo>', 'repository folder')
		.option('--full', 'read every pack and re-hash every blob')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const level = options.full ? 'full' : 'structure';
			const end = await verifyMedium(cliContext(output, options), {repo: requireRepo(options), level});
			return finish(output, end, result => {
				for (const problem of result.problems) {
					output.record('problem', problem);
				}

				for (const generation of result.damagedGenerations) {
					output.record('damaged', generation);
				}

				const human = humanLines(result, Boolean(options.full));
				return {
					data: {
						ok: result.ok,
						level: result.level,
						repository: options.repo,
						label: result.label,
						generations: result.generations,
						packs: result.packs,
						blobs: result.blobs,
						bytesRead: result.bytesRead,
						problems: result.problems.length,
						damagedGenerations: result.damagedGenerations.map(generation => ({id: generation.id, files: generation.files.length})),
						notes: result.notes,
						durationMs: result.durationMs,
					},
					human,
				};
			});
		}));
}

function humanLines(result: VerifyResult, full: boolean): string[] {
	const what = full ? 'Full verification' : 'Structure check';
	const counts = `${result.generations} generation(s), ${formatCount(result.packs)} pack(s), ${formatCount(result.blobs)} blob(s)${full ? `, ${formatBytes(result.bytesRead)} re-read` : ''}`;
	return result.ok
		? [...result.notes.map(note => `note: ${note}`), `${what} of "${result.label}": OK. ${counts} in ${formatDuration(result.durationMs)}.`]
		: [
			...result.problems.map(problem => `damage: ${problem.message}`),
			...result.damagedGenerations.flatMap(generation => [
				`generation ${generation.shortId} (#${generation.seq}, ${generation.time}): ${generation.files.length} damaged file(s)`,
				...generation.files.slice(0, 20).map(file => `  ${file}`),
				...(generation.files.length > 20 ? [`  … and ${generation.files.length - 20} more (use --json for all)`] : []),
			]),
			`${what} of "${result.label}" found DAMAGE: ${result.problems.length} problem(s). ${counts}. Restore damaged files from another cartridge or generation.`,
		];
}
