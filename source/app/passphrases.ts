import {SedaiError} from '../core/errors.js';
import type {RepositoryConfig} from '../core/repository/config.js';
import type {SiteSettings} from '../settings/schema.js';
import {passphraseFromFile} from './passphrase-file.js';

/**
 * Passphrases for the session: the site's passphrase file, else SEDAI_PASSPHRASE, else asked
 * in the UI once per repository and kept in memory only (never written anywhere).
 */
export type PassphraseRequest = {label: string; retry: boolean};
export type Asker = (request: PassphraseRequest) => Promise<string | undefined>;

export class Passphrases {
	private readonly cache = new Map<string, string>();
	asker: Asker | undefined;

	constructor(private readonly settings: () => SiteSettings, private readonly environment: NodeJS.ProcessEnv = process.env) {}

	/** Given without asking (file, environment or this session's memory). */
	async known(config: Pick<RepositoryConfig, 'id'>): Promise<string | undefined> {
		const {passphraseFile} = this.settings();
		if (passphraseFile) {
			return passphraseFromFile(passphraseFile);
		}

		const fromEnvironment = this.environment['SEDAI_PASSPHRASE'];
		if (fromEnvironment) {
			return fromEnvironment;
		}

		return this.cache.get(config.id);
	}

	/** Whether opening this repository would need to ask. */
	async wouldAsk(config: Pick<RepositoryConfig, 'id'>): Promise<boolean> {
		return (await this.known(config).catch(() => undefined)) === undefined;
	}

	async ask(config: Pick<RepositoryConfig, 'id' | 'label'>, retry = false): Promise<string> {
		if (!this.asker) {
			throw new SedaiError('passphrase-required', `The repository "${config.label}" is encrypted: set SEDAI_PASSPHRASE or a passphrase file in Settings.`);
		}

		const answer = await this.asker({label: config.label, retry});
		if (answer === undefined) {
			throw new SedaiError('cancelled', `Cancelled at the passphrase prompt for "${config.label}".`);
		}

		return answer;
	}

	remember(id: string, passphrase: string): void {
		this.cache.set(id, passphrase);
	}

	forget(id?: string): void {
		if (id === undefined) {
			this.cache.clear();
		} else {
			this.cache.delete(id);
		}
	}

	get cachedCount(): number {
		return this.cache.size;
	}
}
