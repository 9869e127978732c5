import type {Command} from 'commander';
import {Repository} from '../../core/repository/repository.js';
import {checkRepository, protectRepository} from '../../system/generation-protection.js';
import {recordProtection} from '../../system/cartridge-memory.js';
import {rememberRepository} from '../../settings/remember.js';
import {formatTime} from '../../text/format.js';
import {localState, requireRepo, type RepositoryOptions} from '../context.js';
import {givenPassphrase} from '../passphrase.js';
import type {Output} from '../output.js';

type Options = RepositoryOptions & {check?: boolean};

export function registerProtect(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('protect')
		.description('make every sealed generation read-only and, where possible, immutable (chattr +i); --check reports per generation (exit 1 if any is unprotected)')
		.option('--repo <repo>', 'repository folder')
		.option('--check', 'only report each generation\'s protection, change nothing')
		.option('--passphrase-file <file>', 'read the passphrase from a file (maps generations to their packs exactly)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const root = requireRepo(options);
			const config = await Repository.identify(root);
			const passphrase = config.encryption ? await givenPassphrase(options) : undefined;
			const repository = !config.encryption || passphrase !== undefined ? await Repository.open(root, passphrase) : undefined;
			const human: string[] = [];
			let applied: Awaited<ReturnType<typeof protectRepository>>['outcome'] | undefined;
			if (!options.check) {
				({outcome: applied} = await protectRepository(root));
				human.push(`Protected ${applied.files} sealed file(s) of "${config.label}": ${applied.protection}${applied.note ? ` (${applied.note})` : ''}.`);
			}

			const {generations, medium} = await checkRepository(root, repository);
			const state = localState();
			if (repository) {
				await rememberRepository(state, repository).catch(() => undefined);
			}

			recordProtection(state, config.id, new Map(generations.map(generation => [generation.id, {protection: generation.protection, ...(generation.note ? {note: generation.note} : {})}])));
			for (const generation of generations) {
				output.record('generation', generation);
				human.push(`  ${generation.seq === undefined ? '' : `#${generation.seq} `}${generation.shortId}${generation.time ? ` ${formatTime(generation.time)}` : ''}  ${generation.protection === 'none' ? 'NOT protected' : generation.protection}${generation.note ? `: ${generation.note}` : ''}`);
			}

			if (!repository && generations.length > 0) {
				human.push('(No passphrase given: every pack was checked for every generation; set SEDAI_PASSPHRASE or --passphrase-file to map each generation to its own packs.)');
			}

			const unprotected = generations.filter(generation => generation.protection === 'none').length;
			const ok = unprotected === 0;
			human.push(ok
				? `All ${generations.length} generation(s) of "${config.label}" are protected.`
				: `${unprotected} of ${generations.length} generation(s) of "${config.label}" are NOT protected${options.check ? ': run `sedai protect --repo ' + root + '` (as root for immutability)' : ''}.`);
			output.summary({
				ok,
				repository: root,
				label: config.label,
				id: config.id,
				exact: Boolean(repository),
				mediumWriteProtected: medium.hardwareReadOnly || medium.mountReadOnly,
				...(applied ? {applied: {protection: applied.protection, note: applied.note, files: applied.files}} : {}),
				generations: generations.length,
				unprotected,
			}, human);
			return ok ? 0 : 1;
		}));
}
