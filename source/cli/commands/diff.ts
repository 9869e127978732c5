import type {Command} from 'commander';
import {diffEntries} from '../../core/browse.js';
import {openRepository, type RepositoryOptions} from '../context.js';
import type {Output} from '../output.js';

export function registerDiff(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('diff')
		.description('show what was added, changed and removed between two generations')
		.argument('<genA>', 'the older generation')
		.argument('<genB>', 'the newer generation')
		.option('--repo <repo>', 'repository folder')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (first: string, second: string, options: RepositoryOptions) => run(options.json, async output => {
			const repository = await openRepository(options);
			const a = await repository.resolveGeneration(first);
			const b = await repository.resolveGeneration(second);
			const [before, after] = await Promise.all([repository.readGeneration(a.id), repository.readGeneration(b.id)]);
			const diff = diffEntries(before.entries, after.entries);
			for (const item of [...diff.added, ...diff.changed, ...diff.removed, ...diff.metadata]) {
				output.record('diff', {...item});
			}

			const mark = {added: '+', changed: 'M', removed: '-', metadata: 'm'} as const;
			const lines = [...diff.added, ...diff.changed, ...diff.removed, ...diff.metadata]
				.sort((x, y) => x.path < y.path ? -1 : (x.path > y.path ? 1 : 0))
				.map(item => `${mark[item.kind]} ${item.path}`);
			output.summary({
				ok: true,
				from: a.id,
				to: b.id,
				added: diff.added.length,
				changed: diff.changed.length,
				removed: diff.removed.length,
				metadata: diff.metadata.length,
			}, [...lines, `${a.shortId} (#${a.seq}) → ${b.shortId} (#${b.seq}): ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.metadata.length} metadata only.`]);
			return 0;
		}));
}
