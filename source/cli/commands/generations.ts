import type {Command} from 'commander';
import {toText} from '../../core/byte-path.js';
import {formatBytes, formatCount, formatTime, padEnd, padStart} from '../../text/format.js';
import {openRepository, remember, type RepositoryOptions} from '../context.js';
import type {Output} from '../output.js';

export function registerGenerations(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('generations')
		.alias('gens')
		.description('list the sealed generations of a repository')
		.option('--repo <repo>', 'repository folder')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: RepositoryOptions) => run(options.json, async output => {
			const repository = await openRepository(options);
			const {generations, damaged} = await repository.listGenerations();
			await remember(repository);
			const rows = generations.map(generation => ({
				id: generation.id,
				shortId: generation.shortId,
				seq: generation.seq,
				time: generation.time,
				host: generation.host,
				sources: generation.sources.map(source => toText(source.path)),
				files: generation.totals.files,
				bytes: generation.totals.bytes,
				newBytes: generation.totals.newBytes,
				storedBytes: generation.totals.storedBytes,
				durationMs: generation.totals.durationMs,
				tags: generation.tags,
				suspect: generation.sentinel?.suspect ?? false,
			}));
			for (const row of rows) {
				output.record('generation', row);
			}

			for (const item of damaged) {
				output.warning('damaged-generation', item.error);
			}

			const header = `${padEnd('ID', 9)}${padStart('#', 5)}  ${padEnd('TIME', 16)}  ${padStart('FILES', 9)}  ${padStart('SIZE', 10)}  ${padStart('NEW', 10)}  SOURCE`;
			const lines = rows.map(row => `${padEnd(row.shortId, 9)}${padStart(String(row.seq), 5)}  ${padEnd(formatTime(row.time), 16)}  ${padStart(formatCount(row.files), 9)}  ${padStart(formatBytes(row.bytes), 10)}  ${padStart(formatBytes(row.newBytes), 10)}  ${row.sources.join(', ')}${row.suspect ? '  SUSPECT' : ''}`);
			output.summary({ok: true, repository: repository.root, label: repository.label, count: rows.length}, rows.length === 0
				? [`"${repository.label}" has no generations yet.`]
				: [header, ...lines, `${rows.length} generation(s) in "${repository.label}".`]);
			return 0;
		}));
}
