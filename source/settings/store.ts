import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import {SedaiError} from '../core/errors.js';
import {defaultSettings, settingsSchema, type SiteSettings} from './schema.js';

/**
 * Where Sedai keeps its local files: the site profile (settings.json) and what it has learned
 * (state.json: cartridges seen, verifications, drills). SEDAI_HOME moves both, which the demo and
 * the tests use; otherwise the XDG config folder.
 */
export function sedaiHome(): string {
	const fromEnvironment = process.env['SEDAI_HOME'];
	if (fromEnvironment) {
		return path.resolve(fromEnvironment);
	}

	const xdg = process.env['XDG_CONFIG_HOME'] ?? path.join(os.homedir(), '.config');
	return path.join(xdg, 'sedai');
}

/** Open a conf store, turning a broken or invalid file into one actionable sentence. */
export function openConf<T extends Record<string, unknown>>(options: {name: string; directory?: string; defaults: T; schema?: Record<string, unknown>}): Conf<T> {
	const directory = options.directory ?? sedaiHome();
	try {
		return new Conf<T>({
			projectName: 'sedai',
			cwd: directory,
			configName: options.name,
			defaults: options.defaults,
			...(options.schema ? {schema: options.schema as never} : {}),
			clearInvalidConfig: false,
		});
	} catch (error) {
		const file = path.join(directory, `${options.name}.json`);
		const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
		throw new SedaiError('bad-config', `The settings file ${file} is not valid (${detail}): fix it, or move it away to start from defaults.`, {file});
	}
}

export class SettingsStore {
	private readonly conf: Conf<SiteSettings>;

	constructor(directory?: string) {
		this.conf = openConf<SiteSettings>({name: 'settings', directory, defaults: defaultSettings(), schema: settingsSchema});
	}

	get path(): string {
		return this.conf.path;
	}

	get(): SiteSettings {
		return {...defaultSettings(), ...this.conf.store};
	}

	set<K extends keyof SiteSettings>(key: K, value: SiteSettings[K]): void {
		try {
			this.conf.set(key, value);
		} catch (error) {
			throw new SedaiError('bad-config', `Cannot save ${String(key)}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	/** Remove an optional key (e.g. go back from a passphrase file to asking each session). */
	unset(key: keyof SiteSettings): void {
		this.conf.delete(key);
	}

	update(partial: Partial<SiteSettings>): void {
		for (const [key, value] of Object.entries(partial)) {
			this.set(key as keyof SiteSettings, value);
		}
	}
}
