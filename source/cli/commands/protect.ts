import type {Command} from 'commander';
import {protectMedium} from '../../app/operations/protect.js';
import {formatTime} from '../../text/format.js';
import {requireRepo, type RepositoryOptions} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

function protectionWords(protection: string, switchOn: boolean): string {
	if (protection === 'none') {
		return 'NOT protected';
	}

	return protection === 'read-only' && !switchOn ? 'NOT protected (read-only, which one chmod or remount undoes)' : protection;
}

type Options = RepositoryOptions & {check?: boolean};

export function registerProtect(program: Command, run: Runner): void {
	program.command('protect')
		.description('make every sealed generation read-only and, where possible, immutable (chattr +i); --check reports per generation (exit 1 if any is unprotected)')
		.option('--repo <repo>', 'repository folder')
		.option('--check', 'only report each generation\'s protection, change nothing')
		.option('--passphrase-file <file>', 'read the passphrase from a file (maps generations to their packs exactly)')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const root = requireRepo(options);
			const end = await protectMedium(cliContext(output, options), {repo: root, ...(options.check ? {check: true} : {})});
			return finish(output, end, result => {
				const human: string[] = [];
				if (result.applied) {
					human.push(`Protected ${result.applied.files} sealed file(s) of "${result.label}": ${result.applied.protection}${result.applied.note ? ` (${result.applied.note})` : ''}.`);
				}

				for (const generation of result.generations) {
					output.record('generation', generation);
					human.push(`  ${generation.seq === undefined ? '' : `#${generation.seq} `}${generation.shortId}${generation.time ? ` ${formatTime(generation.time)}` : ''}  ${protectionWords(generation.protection, result.hardwareWriteProtected)}${generation.note ? `: ${generation.note}` : ''}`);
				}

				if (!result.exact && result.generations.length > 0) {
					human.push('(No passphrase given: every pack was checked for every generation; set SEDAI_PASSPHRASE or --passphrase-file to map each generation to its own packs.)');
				}

				const ok = result.unprotected === 0;
				human.push(ok
					? `All ${result.generations.length} generation(s) of "${result.label}" are protected.`
					: `${result.unprotected} of ${result.generations.length} generation(s) of "${result.label}" are NOT protected${options.check ? ': run `sedai protect --repo ' + root + '` (as root for immutability)' : ''}.`);
				const {generations, ...rest} = result;
				return {data: {ok, ...rest, repository: root, generations: generations.length}, human};
			});
		}));
}
