import type {RepositoryConfig} from '../../core/repository/config.js';
import {normalizeRecoveryKey} from '../../core/repository/recovery-key.js';
import {passphraseFromFile} from '../passphrase-file.js';

/**
 * One order for every front end: a recovery key (--recovery-key, SEDAI_RECOVERY_KEY) when one is
 * given, then a file named for this command (--passphrase-file), then
 * SEDAI_PASSPHRASE, then the site profile's passphraseFile, then what this session was told
 * (for this repository, or for every medium of the site), then a prompt where the front end has
 * one. Passphrases live in memory only and are never logged or written.
 */
export type PassphraseAnswer = {passphrase: string; forSite?: boolean};

export type PassphrasePrompt = (request: {label: string; repositoryId: string; site?: string; retry: boolean}) => Promise<PassphraseAnswer | undefined>;

export type PassphraseSources = {
	/** From the recovery sheet; SEDAI_RECOVERY_KEY is read when this is not given. */
	recoveryKey?: string;
	file?: string;
	environment?: NodeJS.ProcessEnv;
	/** The site profile's passphrase file, read when needed (the settings may change in a session). */
	siteFile?: () => string | undefined;
	prompt?: PassphrasePrompt;
};

type Config = Pick<RepositoryConfig, 'id' | 'label' | 'site'>;

export class Passphrases {
	private readonly told = new Map<string, string>();
	private site: string | undefined;

	constructor(readonly sources: PassphraseSources = {}) {}

	/** Given without asking, or undefined. */
	async given(config: Config): Promise<string | undefined> {
		const recoveryKey = this.recoveryKey();
		if (recoveryKey) {
			return normalizeRecoveryKey(recoveryKey);
		}

		if (this.sources.file) {
			return passphraseFromFile(this.sources.file);
		}

		const fromEnvironment = (this.sources.environment ?? process.env)['SEDAI_PASSPHRASE'];
		if (fromEnvironment) {
			return fromEnvironment;
		}

		const siteFile = this.sources.siteFile?.();
		if (siteFile) {
			return passphraseFromFile(siteFile);
		}

		return this.told.get(config.id) ?? this.site;
	}

	/**
	 * The site's own passphrase (a file or SEDAI_PASSPHRASE), which every medium of the site opens
	 * with: a new repository takes it, or the nightly run could not open it.
	 */
	async ofSite(): Promise<string | undefined> {
		if (this.sources.file) {
			return passphraseFromFile(this.sources.file);
		}

		const fromEnvironment = (this.sources.environment ?? process.env)['SEDAI_PASSPHRASE'];
		if (fromEnvironment) {
			return fromEnvironment;
		}

		const siteFile = this.sources.siteFile?.();
		return siteFile ? passphraseFromFile(siteFile) : undefined;
	}

	/** A passphrase from outside this session (file or environment), which asking again cannot fix. */
	async fixed(): Promise<boolean> {
		return Boolean(this.recoveryKey() ?? this.sources.file ?? (this.sources.environment ?? process.env)['SEDAI_PASSPHRASE'] ?? this.sources.siteFile?.());
	}

	private recoveryKey(): string | undefined {
		const fromEnvironment = (this.sources.environment ?? process.env)['SEDAI_RECOVERY_KEY'];
		return this.sources.recoveryKey ?? (fromEnvironment === '' ? undefined : fromEnvironment);
	}

	get canAsk(): boolean {
		return Boolean(this.sources.prompt);
	}

	async ask(config: Config, retry: boolean): Promise<PassphraseAnswer | undefined> {
		return this.sources.prompt?.({label: config.label, repositoryId: config.id, ...(config.site ? {site: config.site} : {}), retry});
	}

	remember(id: string, answer: PassphraseAnswer): void {
		this.told.set(id, answer.passphrase);
		if (answer.forSite) {
			this.site = answer.passphrase;
		}
	}

	/** Forget one repository's passphrase (it was wrong), or all of them. */
	forget(id?: string): void {
		if (id === undefined) {
			this.told.clear();
			this.site = undefined;
			return;
		}

		if (this.site !== undefined && this.told.get(id) === this.site) {
			this.site = undefined;
		}

		this.told.delete(id);
	}

	get rememberedCount(): number {
		return this.told.size + (this.site === undefined ? 0 : 1);
	}
}
