import {Repository} from '../core/repository/repository.js';
import {SedaiError} from '../core/errors.js';
import {passphraseFor, type PassphraseOptions} from './passphrase.js';

/** Options every repository command shares, and opening a repository with them. */
export type RepositoryOptions = PassphraseOptions & {repo?: string; json?: boolean};

export function requireRepo(options: RepositoryOptions): string {
	if (!options.repo) {
		throw new SedaiError('usage', 'Which repository? Pass --repo PATH (a folder holding a Sedai repository, e.g. /mnt/rdx/sedai).');
	}

	return options.repo;
}

export async function openRepository(options: RepositoryOptions): Promise<Repository> {
	const root = requireRepo(options);
	return Repository.open(root, async config => passphraseFor(options, config.label));
}
