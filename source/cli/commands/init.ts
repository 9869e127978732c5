import type {Command} from 'commander';
import {Repository} from '../../core/repository/repository.js';
import type {Output} from '../output.js';
import {newPassphrase, type PassphraseOptions} from '../passphrase.js';

type Options = PassphraseOptions & {label?: string; site?: string; plaintext?: boolean; json?: boolean};

export function registerInit(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('init')
		.description('create a repository in an empty folder (encrypted unless --plaintext)')
		.argument('<repo>', 'folder for the new repository, e.g. /mnt/rdx/sedai')
		.option('--label <name>', 'cartridge label shown everywhere (default: the folder name)')
		.option('--site <name>', 'the clinic or site this repository belongs to')
		.option('--plaintext', 'do not encrypt (only for media that never leave a locked room)')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (root: string, options: Options) => run(options.json, async output => {
			const passphrase = options.plaintext ? undefined : await newPassphrase(options);
			const repository = await Repository.init(root, {label: options.label, site: options.site, passphrase});
			const {config} = repository;
			output.summary({
				ok: true,
				repository: root,
				id: config.id,
				label: config.label,
				encrypted: Boolean(config.encryption),
			}, [`Created repository "${config.label}" (id ${config.id.slice(0, 8)}) at ${root}, ${config.encryption ? 'encrypted with AES-256-GCM (scrypt-derived key)' : 'NOT encrypted'}.`]);
			return 0;
		}));
}
