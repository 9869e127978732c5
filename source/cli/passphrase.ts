import {SedaiError} from '../core/errors.js';
import {SettingsStore} from '../settings/store.js';
import {passphraseFromFile} from '../app/passphrase-file.js';
import {checkNewPassphrase} from '../app/passphrase-rules.js';

export {passphraseFromFile} from '../app/passphrase-file.js';

/**
 * Passphrases come from SEDAI_PASSPHRASE, a file (--passphrase-file), or a hidden prompt on a
 * terminal. They are never logged, echoed or stored.
 */
export type PassphraseOptions = {passphraseFile?: string; recoveryKey?: string};

export async function givenPassphrase(options: PassphraseOptions): Promise<string | undefined> {
	if (options.passphraseFile) {
		return passphraseFromFile(options.passphraseFile);
	}

	const fromEnvironment = process.env['SEDAI_PASSPHRASE'];
	if (fromEnvironment !== undefined && fromEnvironment !== '') {
		return fromEnvironment;
	}

	// The site profile may name a root-only passphrase file (nightly timers, the demo).
	const {passphraseFile} = new SettingsStore().get();
	return passphraseFile ? passphraseFromFile(passphraseFile) : undefined;
}

export function canPrompt(): boolean {
	return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Read a line from the terminal without echo. */
export async function promptHidden(question: string): Promise<string> {
	const {stdin, stderr} = process;
	stderr.write(question);
	return new Promise((resolve, reject) => {
		let value = '';
		const wasRaw = stdin.isRaw;
		stdin.setRawMode(true);
		stdin.resume();
		stdin.setEncoding('utf8');
		const done = (error?: Error) => {
			stdin.setRawMode(wasRaw);
			stdin.pause();
			stdin.off('data', onData);
			stderr.write('\n');
			if (error) {
				reject(error);
			} else {
				resolve(value);
			}
		};

		const onData = (chunk: string) => {
			for (const character of chunk) {
				if (character === '\r' || character === '\n') {
					done();
					return;
				}

				if (character === '\u0003') {
					done(new SedaiError('cancelled', 'Cancelled at the passphrase prompt.'));
					return;
				}

				if (character === '\u007F' || character === '\b') {
					value = [...value].slice(0, -1).join('');
				} else if (character >= ' ') {
					value += character;
				}
			}
		};

		stdin.on('data', onData);
	});
}

/** For a new repository: given (and long enough), else asked twice on a terminal. */
export async function newPassphrase(options: PassphraseOptions): Promise<string> {
	const given = await givenPassphrase(options);
	if (given !== undefined) {
		return checkNewPassphrase(given, options.passphraseFile ? `in ${options.passphraseFile}` : 'given');
	}

	if (!canPrompt()) {
		throw new SedaiError('passphrase-required', 'A new encrypted repository needs a passphrase: set SEDAI_PASSPHRASE, pass --passphrase-file FILE, run in a terminal to be asked, or use --plaintext for an unencrypted one.');
	}

	return askNewPassphrase();
}

/** For a new key slot: from --new-passphrase-file, else asked twice on a terminal. */
export async function newSlotPassphrase(options: {newPassphraseFile?: string}): Promise<string> {
	if (options.newPassphraseFile) {
		return checkNewPassphrase(await passphraseFromFile(options.newPassphraseFile), `in ${options.newPassphraseFile}`);
	}

	if (!canPrompt()) {
		throw new SedaiError('passphrase-required', 'The new passphrase is needed: pass --new-passphrase-file FILE (mode 600), or run in a terminal to be asked.');
	}

	return askNewPassphrase();
}

async function askNewPassphrase(): Promise<string> {
	const first = checkNewPassphrase(await promptHidden('New passphrase: '), 'typed');
	const second = await promptHidden('Repeat it: ');
	if (first !== second) {
		throw new SedaiError('usage', 'The two passphrases differ: nothing was changed; try again.');
	}

	return first;
}
