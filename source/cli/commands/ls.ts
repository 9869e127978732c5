import type {Command} from 'commander';
import {listEntries} from '../../core/browse.js';
import {SedaiError} from '../../core/errors.js';
import {formatBytes, formatTime, padStart} from '../../text/format.js';
import {openRepository, type RepositoryOptions} from '../context.js';
import type {Output} from '../output.js';

export function registerLs(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('ls')
		.description('list the files of a generation (all of it, or below a path)')
		.argument('<generation>', 'latest, latest~N, #SEQ or an id prefix')
		.argument('[path]', 'only this path and what is below it')
		.option('--repo <repo>', 'repository folder')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (reference: string, under: string | undefined, options: RepositoryOptions) => run(options.json, async output => {
			const repository = await openRepository(options);
			const generation = await repository.resolveGeneration(reference);
			const {entries} = await repository.readGeneration(generation.id);
			const listed = listEntries(entries, under);
			if (under && listed.length === 0) {
				throw new SedaiError('not-found', `Generation ${generation.shortId} has nothing at "${under}": run \`sedai ls --repo ${repository.root} ${reference}\` to see its paths.`);
			}

			for (const entry of listed) {
				output.record('entry', entry);
			}

			output.text(...listed.map(entry => `${entry.mode} ${padStart(entry.type === 'dir' ? '' : formatBytes(entry.size), 10)} ${formatTime(entry.mtime)}  ${entry.path}${entry.target === undefined ? '' : ` -> ${entry.target}`}`));
			output.summary({ok: true, generation: generation.id, count: listed.length}, [`${listed.length} entries in generation ${generation.shortId} (#${generation.seq}).`]);
			return 0;
		}));
}
