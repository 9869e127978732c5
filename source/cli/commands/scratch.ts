import type {Command} from 'commander';
import {deleteScratch, listScratch, type ScratchEntry} from '../../app/operations/scratch.js';
import {SedaiError} from '../../core/errors.js';
import {formatBytes, formatCount, formatDuration, formatTime} from '../../text/format.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

/**
 * `sedai scratch list` and `sedai scratch delete NAME... | --all`: what earlier drills and test
 * restores left in the scratch folder (restored patient data), and deleting it. The same
 * operation as the Drills view's.
 */
type Options = {json?: boolean; all?: boolean};

function line(entry: ScratchEntry, now: number): string {
	const age = formatDuration(Math.max(0, now - Date.parse(entry.changed)));
	if (entry.kind === 'link') {
		return `${entry.name}  symbolic link to ${entry.linkTarget ?? '?'} (not deleted by Sedai)`;
	}

	return `${entry.name}  ${formatBytes(entry.bytes)}, ${formatCount(entry.files)} file(s), changed ${formatTime(entry.changed)} (${age} ago)`;
}

export function registerScratch(program: Command, run: Runner): void {
	const scratch = program.command('scratch').description('what earlier drills and test restores left in the scratch folder (patient data), and deleting it');
	scratch.command('list', {isDefault: true})
		.description('list the scratch folder\'s entries with their size and age')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const listing = await listScratch(cliContext(output));
			const now = Date.now();
			const total = listing.entries.reduce((sum, entry) => sum + entry.bytes, 0);
			output.summary({ok: true, ...listing, bytes: total}, listing.entries.length === 0
				? [`The scratch folder ${listing.root} is ${listing.exists ? 'empty' : 'not there'}: no restored copies are left.`]
				: [
					`${listing.root}: ${listing.entries.length} left over, ${formatBytes(total)} (restored patient data):`,
					...listing.entries.map(entry => `  ${line(entry, now)}`),
					'Delete with `sedai scratch delete NAME...` or `sedai scratch delete --all`.',
				]);
			return 0;
		}));
	scratch.command('delete')
		.description('delete entries of the scratch folder by name (as `sedai scratch list` shows them), or --all')
		.argument('[names...]', 'entries to delete')
		.option('--all', 'delete every entry except symbolic links')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (names: string[], options: Options) => run(options.json, async output => {
			const context = cliContext(output);
			if (options.all ? names.length > 0 : names.length === 0) {
				throw new SedaiError('usage', 'Name the entries to delete (as `sedai scratch list` shows them), or give --all alone.');
			}

			const chosen = options.all ? (await listScratch(context)).entries.filter(entry => entry.kind !== 'link').map(entry => entry.name) : names;
			const {root, deleted} = await deleteScratch(context, chosen);
			const bytes = deleted.reduce((sum, entry) => sum + entry.bytes, 0);
			output.summary({ok: true, root, deleted, bytes}, [
				deleted.length === 0 ? `Nothing to delete in ${root}.` : `Deleted ${deleted.length} from ${root} (${formatBytes(bytes)}): ${deleted.map(entry => entry.name).join(', ')}.`,
			]);
			return 0;
		}));
}
