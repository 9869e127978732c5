import fs from 'node:fs/promises';
import {SedaiError} from '../core/errors.js';

/**
 * A passphrase kept in a file (a root-only file for nightly timers, the demo's). A file that
 * group or others may read is refused: the passphrase would be as good as written on the wall.
 */
export async function passphraseFromFile(file: string): Promise<string> {
	let text: string;
	try {
		const {mode} = await fs.stat(file);
		if ((mode & 0o077) !== 0) {
			throw new SedaiError('usage', `The passphrase file ${file} can be read by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): run \`chmod 600 ${file}\` and try again.`);
		}

		text = await fs.readFile(file, 'utf8');
	} catch (error) {
		if (error instanceof SedaiError) {
			throw error;
		}

		throw new SedaiError('usage', `Cannot read the passphrase file ${file} (${(error as {code?: string}).code ?? String(error)}): check the path and its permissions.`);
	}

	return text.replace(/\r?\n$/, '');
}
