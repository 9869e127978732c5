import {SedaiError} from '../core/errors.js';

/** The one minimum for a new passphrase, however it is given (prompt, file, environment). */
export const minimumPassphraseLength = 8;

export function checkNewPassphrase(passphrase: string, from: string): string {
	if ([...passphrase].length < minimumPassphraseLength) {
		throw new SedaiError('usage', `The passphrase ${from} is too short (${[...passphrase].length} characters): use at least ${minimumPassphraseLength} (a few words is best); nothing was changed.`);
	}

	return passphrase;
}
