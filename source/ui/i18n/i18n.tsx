import {createContext, useContext, useMemo, type ReactNode} from 'react';
import type {Language} from '../../settings/schema.js';
import {en, type MessageKey} from './en.js';
import {ja} from './ja.js';

/**
 * The UI speaks Japanese or English: settings.language, else the locale (LC_ALL, LC_MESSAGES,
 * LANG). Every string the TUI shows comes from a catalog; engine sentences pass through as text.
 */
export type UiLanguage = 'en' | 'ja';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const catalogs: Record<UiLanguage, Record<MessageKey, string>> = {en, ja};

export function chooseLanguage(setting: Language | undefined, environment: NodeJS.ProcessEnv = process.env): UiLanguage {
	if (setting === 'en' || setting === 'ja') {
		return setting;
	}

	// Empty means unset for locale variables.
	// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	const locale = environment['LC_ALL'] || environment['LC_MESSAGES'] || environment['LANG'] || '';
	return /^ja/i.test(locale) ? 'ja' : 'en';
}

export function isMessageKey(key: string): key is MessageKey {
	return Object.hasOwn(en, key);
}

export function translator(language: UiLanguage): Translate {
	const catalog = catalogs[language];
	return (key, params) => {
		const template = catalog[key] ?? en[key] ?? key;
		return params ? template.replaceAll(/{(\w+)}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : template;
	};
}

type I18n = {language: UiLanguage; t: Translate};

const I18nContext = createContext<I18n>({language: 'en', t: translator('en')});

export function I18nProvider({language, children}: {language: UiLanguage; children: ReactNode}) {
	const value = useMemo(() => ({language, t: translator(language)}), [language]);
	return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
	return useContext(I18nContext);
}

export {type MessageKey} from './en.js';
