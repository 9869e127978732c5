import fs from 'node:fs/promises';
import {SedaiError} from '../core/errors.js';

/** A passphrase kept in a file (a root-only file for nightly timers, the demo's). */
export async function passphraseFromFile(file: string): Promise<string> {
	try {
		const text = await fs.readFile(file, 'utf8');
		return text.replace(/\r?\n$/, '');
	} catch (error) {
		throw new SedaiError('usage', `Cannot read the passphrase file ${file} (${(error as {code?: string}).code ?? String(error)}): check the path and its permissions.`);
	}
}
