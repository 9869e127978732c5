import path from 'node:path';
import {openConf, type SettingsStore} from '../settings/store.js';
import {defaultSettings, settingsSchema, type SiteSettings} from '../settings/schema.js';

/**
 * SettingsStore can set keys but not remove optional ones; going back from a passphrase file to
 * "ask each session" needs the key gone, so open the same file and delete it.
 */
export function unsetSetting(store: SettingsStore, key: keyof SiteSettings): void {
	const conf = openConf<SiteSettings>({name: 'settings', directory: path.dirname(store.path), defaults: defaultSettings(), schema: settingsSchema});
	conf.delete(key);
}
