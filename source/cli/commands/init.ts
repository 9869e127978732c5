import type {Command} from 'commander';
import {initMedium} from '../../app/operations/media-actions.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';
import {newPassphrase, type PassphraseOptions} from '../passphrase.js';

type Options = PassphraseOptions & {label?: string; site?: string; plaintext?: boolean; removable?: boolean; json?: boolean};

export function registerInit(program: Command, run: Runner): void {
	program.command('init')
		.description('create a repository in an empty folder (encrypted unless --plaintext)')
		.argument('<repo>', 'folder for the new repository, e.g. /mnt/rdx/sedai')
		.option('--label <name>', 'cartridge label shown everywhere (default: the folder name)')
		.option('--site <name>', 'the clinic or site this repository belongs to')
		.option('--plaintext', 'do not encrypt (only for media that never leave a locked room)')
		.option('--removable', 'the folder is on a removable cartridge (it counts as an offline copy once ejected)')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (root: string, options: Options) => run(options.json, async output => {
			const passphrase = options.plaintext ? undefined : await newPassphrase(options);
			const end = await initMedium(cliContext(output, {cancellable: false}), {root, ...(options.label ? {label: options.label} : {}), ...(options.site ? {site: options.site} : {}), ...(passphrase === undefined ? {} : {passphrase}), ...(options.removable ? {removable: true} : {})});
			return finish(output, end, result => ({
				data: {ok: true, ...result},
				human: [`Created repository "${result.label}" (id ${result.id.slice(0, 8)}) at ${root}, ${result.encrypted ? 'encrypted with AES-256-GCM (scrypt-derived key)' : 'NOT encrypted'}.`],
			}));
		}));
}
