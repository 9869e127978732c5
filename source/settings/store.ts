import os from 'node:os';
import path from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import Conf from 'conf';
import {SedaiError} from '../core/errors.js';
import type {SiteSettings, Target} from './schema.js';
import {checkSettings} from './check-settings.js';

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

function unreadable(file: string, error: unknown): SedaiError {
	const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
	return new SedaiError('bad-config', `The settings file ${file} is not valid (${detail}): fix it, or move it away to start from defaults.`, {file});
}

/** Open a conf store, turning a broken file into one actionable sentence. */
export function openConf<T extends Record<string, unknown>>(options: {name: string; directory?: string; defaults: T}): Conf<T> {
	const directory = options.directory ?? sedaiHome();
	try {
		return new Conf<T>({projectName: 'sedai', cwd: directory, configName: options.name, defaults: options.defaults, clearInvalidConfig: false});
	} catch (error) {
		throw unreadable(path.join(directory, `${options.name}.json`), error);
	}
}

type Raw = Record<string, unknown>;

/** Every source path a raw file names (the site's and the plans'), whatever else is wrong with it. */
function sourcesIn(raw: Raw): string[] {
	const strings = (value: unknown) => Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
	const plans = Array.isArray(raw['plans']) ? raw['plans'] as unknown[] : [];
	return [...strings(raw['sources']), ...plans.flatMap(plan => strings((plan as Raw | undefined)?.['sources']))];
}

/**
 * Targets handed back as read (a partial retention filled in from the site's) are written as the
 * file had them: the retention stays partial and keeps following the site's.
 */
function targetsAsWritten(targets: Target[], raw: Raw): unknown[] {
	const current = checkSettings(raw);
	const written = Array.isArray(raw['targets']) ? raw['targets'] as unknown[] : [];
	if (!current.ok) {
		return targets;
	}

	return targets.map(target => {
		const index = current.settings.targets.findIndex(known => isDeepStrictEqual(known, target));
		return index === -1 ? target : written[index];
	});
}

/**
 * The site profile in settings.json. The file holds what the technician set, nothing more: the
 * defaults are filled in when it is read (so a new version's defaults apply), and a change is
 * checked as the whole would-be file before anything is written.
 */
export class SettingsStore {
	// No conf defaults: conf would write them into the file on opening.
	private readonly conf: Conf<Raw>;

	constructor(directory?: string) {
		this.conf = openConf<Raw>({name: 'settings', directory, defaults: {}});
	}

	get path(): string {
		return this.conf.path;
	}

	/** The validated settings with every default filled in; a bad file is one sentence naming the field. */
	get(): SiteSettings {
		const verdict = checkSettings(this.raw());
		if (!verdict.ok) {
			throw new SedaiError('bad-config', `The settings file ${this.path} is not valid: ${verdict.problem}. Fix it there, or move the file away to start from the defaults.`, {file: this.path, field: verdict.field});
		}

		return verdict.settings;
	}

	set<K extends keyof SiteSettings>(key: K, value: SiteSettings[K]): void {
		this.update({[key]: value});
	}

	/** Remove an optional key (e.g. go back from a passphrase file to asking each session). */
	unset(key: keyof SiteSettings): void {
		this.save(Object.fromEntries(Object.entries(this.raw()).filter(([name]) => name !== key)));
	}

	/** Replace the given top-level settings; nothing is written unless the whole result is valid. */
	update(partial: Partial<SiteSettings>): void {
		this.save(this.merged(partial));
	}

	/** Throw the sentence `update` would, writing nothing (to check before creating what a setting will name). */
	check(partial: Partial<SiteSettings>): void {
		this.verify(this.merged(partial));
	}

	private merged(partial: Partial<SiteSettings>): Raw {
		const raw = this.raw();
		const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
		return {...raw, ...defined, ...(partial.targets ? {targets: targetsAsWritten(partial.targets, raw)} : {})};
	}

	private save(next: Raw): void {
		this.verify(next);
		this.conf.store = next;
	}

	private verify(next: Raw): void {
		const verdict = checkSettings(next, {saving: {savedSources: sourcesIn(this.raw())}});
		if (!verdict.ok) {
			throw new SedaiError('bad-config', `The change was not saved: ${verdict.problem}.`, {file: this.path, field: verdict.field});
		}
	}

	private raw(): Raw {
		try {
			return this.conf.store;
		} catch (error) {
			throw unreadable(this.path, error);
		}
	}
}
