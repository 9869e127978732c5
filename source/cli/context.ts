import type {Repository} from '../core/repository/repository.js';
import {MediumOpener} from '../app/operations/open.js';
import {SedaiError} from '../core/errors.js';
import {StateStore} from '../settings/state.js';
import {rememberRepository} from '../settings/remember.js';
import type {PassphraseOptions} from './passphrase.js';

/** Options every repository command shares, and opening a repository with them. */
export type RepositoryOptions = PassphraseOptions & {repo?: string; json?: boolean};

export function requireRepo(options: RepositoryOptions): string {
	if (!options.repo) {
		throw new SedaiError('usage', 'Which repository? Pass --repo PATH (a folder holding a Sedai repository, e.g. /mnt/rdx/sedai).');
	}

	return options.repo;
}

/** For the read-only commands (generations, ls, diff): the same passphrase order as every operation. */
export async function openRepository(options: RepositoryOptions): Promise<Repository> {
	const {cliPassphrases} = await import('./operation-context.js');
	return new MediumOpener(cliPassphrases(options)).openAt(requireRepo(options));
}

let stateStore: StateStore | undefined;

/** The local memory (cartridges seen, checks, drills); opened lazily, once per process. */
export function localState(): StateStore {
	stateStore ??= new StateStore();
	return stateStore;
}

/** Remember a repository we just used; local bookkeeping must never fail the command itself. */
export async function remember(repository: Repository): Promise<void> {
	try {
		await rememberRepository(localState(), repository);
	} catch {
		// The command's result stands; the cartridge list will catch up next time.
	}
}
