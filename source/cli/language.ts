import fs from 'node:fs';
import path from 'node:path';
import {sedaiHome} from '../settings/store.js';
import {cliLanguage, type Language} from '../text/messages/render.js';

/**
 * The language of the CLI's human output: settings.language when set to 'en' or 'ja', else the
 * locale. Read straight from the file, without opening (or creating) the store: an error about a
 * broken settings file must still be printed.
 */
export function outputLanguage(environment: NodeJS.ProcessEnv = process.env): Language {
	let setting: unknown;
	try {
		setting = (JSON.parse(fs.readFileSync(path.join(sedaiHome(), 'settings.json'), 'utf8')) as {language?: unknown}).language;
	} catch {}

	return cliLanguage(environment, typeof setting === 'string' ? setting : undefined);
}
