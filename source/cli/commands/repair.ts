import type {Command} from 'commander';
import {repairMedium, type RepairRunResult} from '../../app/operations/repair.js';
import {acceptRollback} from '../../app/operations/accept-rollback.js';
import type {Output} from '../output.js';
import {formatDuration} from '../../text/format.js';
import {requireRepo, type RepositoryOptions} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = RepositoryOptions & {dryRun?: boolean; acceptRollback?: boolean};

export function registerRepair(program: Command, run: Runner): void {
	program.command('repair')
		.description('rebuild damaged index files from the packs, quarantine unreadable packs, and report which generations lost which files')
		.option('--repo <repo>', 'repository folder')
		.option('--dry-run', 'show what repair would do; change nothing')
		.option('--accept-rollback', 'an older copy of this medium was put back on purpose: remember its newest generation as the head (changes nothing on the medium)')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			if (options.acceptRollback) {
				return rollbackAccepted(output, options);
			}

			const end = await repairMedium(cliContext(output, options), {repo: requireRepo(options), ...(options.dryRun ? {dryRun: true} : {})});
			return finish(output, end, result => {
				for (const item of result.quarantined) {
					output.record('quarantined', item);
				}

				for (const generation of result.lostGenerations) {
					output.record('lost', generation);
				}

				return {
					data: {
						ok: result.lostGenerations.length === 0,
						dryRun: result.dryRun,
						repository: result.repository,
						label: result.label,
						damagedIndexFiles: result.damagedIndexFiles,
						rebuiltPacks: result.rebuiltPacks,
						indexFiles: result.indexFiles,
						quarantined: result.quarantined.length,
						damagedTrailers: result.damagedTrailers,
						lostGenerations: result.lostGenerations.map(generation => ({id: generation.id, files: generation.files.length})),
						durationMs: result.durationMs,
					},
					human: humanLines(result),
				};
			});
		}));
}

async function rollbackAccepted(output: Output, options: Options): Promise<number> {
	const end = await acceptRollback(cliContext(output, options), {repo: requireRepo(options)});
	return finish(output, end, result => {
		const was = result.forgotten ? `#${result.forgotten.seq} (${result.forgotten.id.slice(0, 8)})` : 'no generation';
		const now = result.head ? `#${result.head.seq} (${result.head.id.slice(0, 8)})` : 'none (the medium holds no generation)';
		return {
			data: {ok: true, ...result},
			human: [`This computer now takes generation ${now} as the newest on "${result.label}", instead of ${was}. Nothing on the medium was changed; verify no longer reports the rollback.`],
		};
	});
}

function humanLines(result: RepairRunResult): string[] {
	const would = result.dryRun ? 'would ' : '';
	const lines: string[] = [];
	if (result.damagedIndexFiles.length > 0) {
		const how = result.rebuiltPacks > 0 ? `replaced by one rebuilt from ${result.rebuiltPacks} pack trailer(s)` : 'removed (other index files already name all their packs)';
		lines.push(`index: ${result.damagedIndexFiles.length} damaged index file(s) ${result.dryRun ? 'would be' : 'were'} ${how}: ${result.damagedIndexFiles.join(', ')}`);
	} else if (result.rebuiltPacks > 0) {
		lines.push(`index: ${result.rebuiltPacks} pack(s) no index named ${result.dryRun ? 'would be' : 'were'} indexed from their trailers`);
	}

	for (const item of result.quarantined) {
		lines.push(`quarantine: pack ${item.pack} ${would}moved to quarantine/ (${item.reason})`);
	}

	for (const pack of result.damagedTrailers) {
		lines.push(`note: pack ${pack} has a damaged trailer; its index entries stand (run \`sedai verify --full\` to check its data)`);
	}

	for (const generation of result.lostGenerations) {
		const whole = generation.files.length === 1 && generation.files[0].startsWith('(');
		lines.push(`lost: generation ${generation.shortId}${generation.seq >= 0 ? ` (#${generation.seq}, ${generation.time})` : ''}: ${whole ? 'all of it (its file list is unreadable)' : `${generation.files.length} file(s)`}`, ...(whole ? [] : generation.files.slice(0, 20).map(file => `  ${file}`)));
		if (generation.files.length > 20) {
			lines.push(`  … and ${generation.files.length - 20} more (use --json for all)`);
		}
	}

	const changed = result.damagedIndexFiles.length > 0 || result.rebuiltPacks > 0 || result.quarantined.length > 0;
	lines.push(`Repair of "${result.label}"${result.dryRun ? ' (dry run)' : ''}: ${verdictOf(result, changed)} (${formatDuration(result.durationMs)})`);
	return lines;
}

function verdictOf(result: RepairRunResult, changed: boolean): string {
	if (result.lostGenerations.length > 0) {
		return `${result.lostGenerations.length} generation(s) lost files: restore those from another cartridge or an older generation.`;
	}

	if (!changed) {
		return 'nothing to repair.';
	}

	return result.dryRun ? 'no generation would lose files.' : 'its index and packs are whole again (`sedai verify --full` re-checks every blob).';
}
