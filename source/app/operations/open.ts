import {SedaiError, isSedaiError} from '../../core/errors.js';
import {Repository} from '../../core/repository/repository.js';
import type {Passphrases} from './passphrase.js';

/**
 * Opens media for operations: checks that the repository at a path is the one asked for (by
 * id, never by label alone), gets its passphrase in the one order, asks again after a wrong
 * one where a prompt exists, and keeps open repositories for the session (the TUI browses and
 * backs up the same cartridge many times; key derivation costs a second each time).
 */
export class MediumOpener {
	private readonly open = new Map<string, Repository>();

	constructor(readonly passphrases: Passphrases) {}

	async openAt(root: string, expectedId?: string): Promise<Repository> {
		const config = await Repository.identify(root);
		if (expectedId && config.id !== expectedId) {
			throw new SedaiError('not-found', `The repository at ${root} is "${config.label}" (id ${config.id.slice(0, 8)}), not the medium asked for (id ${expectedId.slice(0, 8)}): a different cartridge with the same label may be inserted; check the label on the cartridge.`);
		}

		const cached = this.open.get(root);
		if (cached?.id === config.id) {
			return cached;
		}

		const repository = config.encryption ? await this.unlock(root, config) : await Repository.open(root, undefined);
		this.open.set(root, repository);
		return repository;
	}

	/** Would opening this repository need to ask? (The TUI does not read such media on its own.) */
	async wouldAsk(root: string): Promise<boolean> {
		const config = await Repository.identify(root);
		if (!config.encryption || this.open.get(root)?.id === config.id) {
			return false;
		}

		return (await this.passphrases.given(config).catch(() => undefined)) === undefined;
	}

	/**
	 * Drop a medium that went away (ejected) or every open one ("forget passphrases"), erasing
	 * its keys (at once, or when the job using it lets go).
	 */
	close(root?: string): void {
		for (const [at, repository] of this.open) {
			if (root === undefined || at === root) {
				repository.close();
				this.open.delete(at);
			}
		}
	}

	private async unlock(root: string, config: Awaited<ReturnType<typeof Repository.identify>>): Promise<Repository> {
		let passphrase = await this.passphrases.given(config);
		for (let attempt = 0; ; attempt++) {
			let answer: {passphrase: string; forSite?: boolean} | undefined;
			if (passphrase === undefined) {
				answer = await this.passphrases.ask(config, attempt > 0);
				if (!answer) {
					throw this.passphrases.canAsk
						? new SedaiError('cancelled', `Cancelled at the passphrase prompt for "${config.label}".`)
						: new SedaiError('passphrase-required', `The repository "${config.label}" is encrypted: give its passphrase with --passphrase-file FILE or SEDAI_PASSPHRASE, set a passphrase file in the site settings, or run in a terminal to be asked.`);
				}

				passphrase = answer.passphrase;
			}

			try {
				const repository = await Repository.open(root, passphrase);
				if (answer) {
					this.passphrases.remember(config.id, answer);
				}

				return repository;
			} catch (error) {
				const wrong = isSedaiError(error) && error.code === 'wrong-passphrase';
				if (wrong) {
					this.passphrases.forget(config.id);
				}

				if (wrong && attempt < 2 && this.passphrases.canAsk && !(await this.passphrases.fixed())) {
					passphrase = undefined;
					continue;
				}

				throw error;
			}
		}
	}
}
