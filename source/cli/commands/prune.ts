import type {Command} from 'commander';
import {pruneMedium} from '../../app/operations/prune.js';
import {SedaiError} from '../../core/errors.js';
import type {Retention} from '../../settings/schema.js';
import {formatBytes, formatDuration, formatTime, padEnd, padStart} from '../../text/format.js';
import {requireRepo, type RepositoryOptions} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = RepositoryOptions & {
	dryRun?: boolean;
	keepLast?: string;
	keepDaily?: string;
	keepWeekly?: string;
	keepMonthly?: string;
	keepYearly?: string;
};

function count(value: string | undefined, flag: string): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	const number = Number(value);
	if (!Number.isInteger(number) || number < 0) {
		throw new SedaiError('usage', `${flag} needs a whole number of 0 or more, not "${value}".`);
	}

	return number;
}

/** The --keep-* flags, each a whole number when given. */
function overridesOf(options: Options): Partial<Retention> {
	const overrides: Partial<Retention> = {};
	const flags: Array<[keyof Retention, string | undefined, string]> = [
		['keepLast', options.keepLast, '--keep-last'],
		['daily', options.keepDaily, '--keep-daily'],
		['weekly', options.keepWeekly, '--keep-weekly'],
		['monthly', options.keepMonthly, '--keep-monthly'],
		['yearly', options.keepYearly, '--keep-yearly'],
	];
	for (const [key, value, flag] of flags) {
		const number = count(value, flag);
		if (number !== undefined) {
			overrides[key] = number;
		}
	}

	return overrides;
}

export function registerPrune(program: Command, run: Runner): void {
	program.command('prune')
		.description('remove generations the retention policy (settings) no longer keeps, and the data only they used')
		.option('--repo <repo>', 'repository folder')
		.option('--dry-run', 'show what would be kept and removed, and why; change nothing')
		.option('--keep-last <n>', 'override settings: keep the newest N generations')
		.option('--keep-daily <n>', 'override settings: keep the newest generation of each of the last N days')
		.option('--keep-weekly <n>', 'override settings: … of each of the last N weeks')
		.option('--keep-monthly <n>', 'override settings: … of each of the last N months')
		.option('--keep-yearly <n>', 'override settings: … of each of the last N years')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const end = await pruneMedium(cliContext(output, options), {repo: requireRepo(options), ...(options.dryRun ? {dryRun: true} : {}), overrides: overridesOf(options)});
			return finish(output, end, result => {
				const rows = result.generations;
				for (const row of rows) {
					output.record('generation', row);
				}

				const {policy} = result;
				const verb = result.dryRun ? 'would remove' : 'removed';
				const lines = rows.map(row => `${padEnd(row.action === 'keep' ? 'keep' : 'REMOVE', 7)}${padEnd(row.shortId, 9)}${padStart(`#${row.seq}`, 6)}  ${padEnd(formatTime(row.time), 16)}  ${row.action === 'keep' ? row.reasons.join(', ') : 'no rule keeps it'}${row.expires ? `  (kept until ~${row.expires.slice(0, 10)})` : ''}${row.suspect ? '  SUSPECT' : ''}`);
				const policyText = `keep-last ${policy.keepLast}, daily ${policy.daily}, weekly ${policy.weekly}, monthly ${policy.monthly}, yearly ${policy.yearly}`;
				return {data: {
					ok: true,
					dryRun: result.dryRun,
					repository: result.repository,
					label: result.label,
					policy,
					kept: result.kept,
					removed: result.removed,
					packsBefore: result.packs.before,
					packsDeleted: result.packs.deleted,
					packsRepacked: result.packs.repacked,
					packsWritten: result.packs.written,
					bytesFreed: result.bytesFreed,
					bytesRepacked: result.bytesRepacked,
					bytesUnusedLeft: result.bytesUnusedLeft,
					durationMs: result.durationMs,
				}, human: [
					`Retention for "${result.label}" (${policyText}):`,
					...lines,
					`${result.dryRun ? 'Dry run, nothing changed: ' : ''}kept ${result.kept} generation(s), ${verb} ${result.removed}; ${verb} ${result.packs.deleted + result.packs.repacked} pack(s)${result.packs.repacked > 0 ? ` (${result.packs.repacked} repacked, ${formatBytes(result.bytesRepacked)} copied)` : ''}, ${formatBytes(Math.max(0, result.bytesFreed))} ${result.dryRun ? 'to free' : 'freed'}${result.dryRun ? '' : ` in ${formatDuration(result.durationMs)}`}.`,
				]};
			});
		}));
}
