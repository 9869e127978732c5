import type {Command} from 'commander';
import {verifyMedium, type VerifyResult} from '../../app/operations/verify.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {SedaiError} from '../../core/errors.js';
import type {RollingSlice, SliceBudget} from '../../core/jobs/verify/rolling.js';
import {parseDuration, parseShare} from '../../text/parse-amount.js';
import {requireRepo} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = {repo?: string; full?: boolean; budget?: string; maxDuration?: string; passphraseFile?: string; recoveryKey?: string; json?: boolean};

export function registerVerify(program: Command, run: Runner): void {
	program.command('verify')
		.description('check a repository: structure, or with --full re-read and re-hash every byte')
		.option('--repo <repo>', 'repository folder')
		.option('--full', 'read every pack and re-hash every blob')
		.option('--budget <share>', 'with --full: read only the next share of the packs (e.g. 20%), after the last run\'s; k runs read every byte')
		.option('--max-duration <time>', 'with --full: start no new pack after this long (e.g. 10m, 90s, 1h); the next run goes on from there')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const level = options.full ? 'full' : 'structure';
			const slice = sliceOf(options);
			const end = await verifyMedium(cliContext(output, options), {repo: requireRepo(options), level, ...(slice ? {slice} : {})});
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
						...(result.slice ? {slice: result.slice} : {}),
					},
					human,
				};
			});
		}));
}

function sliceOf(options: Options): SliceBudget | undefined {
	if (options.budget === undefined && options.maxDuration === undefined) {
		return undefined;
	}

	if (!options.full) {
		throw new SedaiError('usage', '--budget and --max-duration choose how much of a full verification to do: add --full.');
	}

	const fraction = options.budget === undefined ? undefined : parseShare(options.budget);
	const maxMs = options.maxDuration === undefined ? undefined : parseDuration(options.maxDuration);
	if (fraction === undefined && maxMs === undefined) {
		throw new SedaiError('usage', options.budget === undefined
			? `--max-duration ${options.maxDuration} is not a time: write it as e.g. 10m, 90s or 1h.`
			: `--budget ${options.budget} is not a share: write it as e.g. 20% (more than 0%, at most 100%).`);
	}

	return {...(fraction === undefined ? {} : {fraction}), ...(maxMs === undefined ? {} : {maxMs})};
}

function humanLines(result: VerifyResult, full: boolean): string[] {
	const what = result.slice ? 'Rolling full verification' : (full ? 'Full verification' : 'Structure check');
	const counts = `${result.generations} generation(s), ${formatCount(result.packs)} pack(s), ${formatCount(result.blobs)} blob(s)${full ? `, ${formatBytes(result.bytesRead)} re-read` : ''}`;
	const cycle = result.slice ? [cycleLine(result.slice)] : [];
	return result.ok
		? [...result.notes.map(note => `note: ${note}`), `${what} of "${result.label}": OK. ${counts} in ${formatDuration(result.durationMs)}.`, ...cycle]
		: [
			...result.problems.map(problem => `damage: ${problem.message}`),
			...result.damagedGenerations.flatMap(generation => [
				`generation ${generation.shortId} (#${generation.seq}, ${generation.time}): ${generation.files.length} damaged file(s)`,
				...generation.files.slice(0, 20).map(file => `  ${file}`),
				...(generation.files.length > 20 ? [`  … and ${generation.files.length - 20} more (use --json for all)`] : []),
			]),
			`${what} of "${result.label}" found DAMAGE: ${result.problems.length} problem(s). ${counts}. Restore damaged files from another cartridge or generation.`,
			...cycle,
		];
}

function cycleLine(slice: RollingSlice): string {
	const read = `This run read ${formatCount(slice.packs)} pack(s), ${formatBytes(slice.bytes)}`;
	const kept = slice.recorded ? '' : ' The medium is read-only, so the next run starts from the same place.';
	return slice.cycleComplete
		? `${read}: every pack has now been read since ${slice.cycleStarted.slice(0, 10)}${slice.cycleProblems > 0 ? `, with ${slice.cycleProblems} problem(s) in this cycle` : ', all clean'}; the next run starts a new cycle.${kept}`
		: `${read}; ${Math.floor(slice.covered * 100)}% of the medium read in this cycle (since ${slice.cycleStarted.slice(0, 10)}).${kept}`;
}
