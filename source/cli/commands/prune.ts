import type {Command} from 'commander';
import {runPrune} from '../../core/jobs/prune.js';
import {validatePolicy} from '../../core/policy/retention.js';
import {retentionOf} from '../../core/policy/media.js';
import {Repository} from '../../core/repository/repository.js';
import {SedaiError} from '../../core/errors.js';
import type {Retention} from '../../settings/schema.js';
import {SettingsStore} from '../../settings/store.js';
import {unprotect} from '../../system/protect.js';
import {protectSealedFiles} from '../../system/generation-protection.js';
import {formatBytes, formatDuration, formatTime, padEnd, padStart} from '../../text/format.js';
import {openRepository, remember, type RepositoryOptions} from '../context.js';
import type {Output} from '../output.js';
import {cancelOnSignals} from '../signals.js';

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

/** The medium's retention from settings (its target's own, else the site's), with any --keep-* flags on top. */
async function policyOf(options: Options): Promise<{policy: Retention; minGenerations: number}> {
	const settings = new SettingsStore().get();
	const identity = options.repo ? await Repository.identify(options.repo).catch(() => undefined) : undefined;
	const policy: Retention = {...(identity ? retentionOf({label: identity.label, lastPath: options.repo}, settings) : settings.retention)};
	const overrides: Array<[keyof Retention, number | undefined]> = [
		['keepLast', count(options.keepLast, '--keep-last')],
		['daily', count(options.keepDaily, '--keep-daily')],
		['weekly', count(options.keepWeekly, '--keep-weekly')],
		['monthly', count(options.keepMonthly, '--keep-monthly')],
		['yearly', count(options.keepYearly, '--keep-yearly')],
	];
	for (const [key, value] of overrides) {
		if (value !== undefined) {
			policy[key] = value;
		}
	}

	// Refuse a policy below the guideline before touching any medium.
	validatePolicy(policy, settings.compliance.minGenerations);
	return {policy, minGenerations: settings.compliance.minGenerations};
}

export function registerPrune(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
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
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const {policy, minGenerations} = await policyOf(options);
			const repository = await openRepository(options);
			const signal = cancelOnSignals(output);
			const result = await runPrune(repository, {
				policy,
				minGenerations,
				dryRun: options.dryRun,
				signal,
				onEvent: output.onEvent,
				async beforeDelete(files) {
					try {
						await unprotect(files);
					} catch (error) {
						// Deleting then fails on the immutable file with its own clear message.
						output.warning('unprotect', `Could not lift write protection: ${error instanceof Error ? error.message : String(error)}`);
					}
				},
			});
			if (!result.dryRun) {
				// What prune wrote (repacked data, the new index) is sealed like a backup's output.
				const protection = await protectSealedFiles(result.writtenFiles);
				if (protection.failed.length > 0) {
					output.warning('unprotected', `${protection.failed.length} file(s) prune wrote could not be write-protected${protection.note ? ` (${protection.note})` : ''}.`);
				}

				await remember(repository);
			}

			const rows = result.decisions.map(decision => ({
				id: decision.generation.id,
				shortId: decision.generation.shortId,
				seq: decision.generation.seq,
				time: decision.generation.time,
				action: decision.keep ? 'keep' : 'remove',
				rules: decision.reasons.map(reason => reason.rule),
				reasons: decision.reasons.map(reason => reason.text),
				...(decision.expires ? {expires: decision.expires} : {}),
				suspect: decision.generation.sentinel?.suspect ?? false,
			}));
			for (const row of rows) {
				output.record('generation', row);
			}

			const verb = result.dryRun ? 'would remove' : 'removed';
			const lines = rows.map(row => `${padEnd(row.action === 'keep' ? 'keep' : 'REMOVE', 7)}${padEnd(row.shortId, 9)}${padStart(`#${row.seq}`, 6)}  ${padEnd(formatTime(row.time), 16)}  ${row.action === 'keep' ? row.reasons.join(', ') : 'no rule keeps it'}${row.expires ? `  (kept until ~${row.expires.slice(0, 10)})` : ''}${row.suspect ? '  SUSPECT' : ''}`);
			const policyText = `keep-last ${policy.keepLast}, daily ${policy.daily}, weekly ${policy.weekly}, monthly ${policy.monthly}, yearly ${policy.yearly}`;
			output.summary({
				ok: true,
				dryRun: result.dryRun,
				repository: repository.root,
				label: repository.label,
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
			}, [
				`Retention for "${repository.label}" (${policyText}):`,
				...lines,
				`${result.dryRun ? 'Dry run, nothing changed: ' : ''}kept ${result.kept} generation(s), ${verb} ${result.removed}; ${verb} ${result.packs.deleted + result.packs.repacked} pack(s)${result.packs.repacked > 0 ? ` (${result.packs.repacked} repacked, ${formatBytes(result.bytesRepacked)} copied)` : ''}, ${formatBytes(Math.max(0, result.bytesFreed))} ${result.dryRun ? 'to free' : 'freed'}${result.dryRun ? '' : ` in ${formatDuration(result.durationMs)}`}.`,
			]);
			return 0;
		}));
}
