import {createContext, useContext, useMemo, type ReactNode} from 'react';
import type {Language} from '../../settings/schema.js';
import type {Message} from '../../core/message.js';
import {cliLanguage, renderMessage} from '../../text/messages/render.js';
import {fillTemplate} from '../../text/plural.js';
import {en, type MessageKey} from './en.js';
import {ja} from './ja.js';

/**
 * The UI speaks Japanese or English: settings.language, else the locale (LC_ALL, LC_MESSAGES,
 * LANG). Every string the TUI shows comes from a catalog: the UI's own here, the engine's
 * messages (compliance, rotation, SMART, errors, phases) from source/text/messages through `say`.
 */
export type UiLanguage = 'en' | 'ja';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;
export type Say = (message: Message) => string;

const catalogs: Record<UiLanguage, Record<MessageKey, string>> = {en, ja};

export function chooseLanguage(setting: Language | undefined, environment: NodeJS.ProcessEnv = process.env): UiLanguage {
	return cliLanguage(environment, setting);
}

export function isMessageKey(key: string): key is MessageKey {
	return Object.hasOwn(en, key);
}

export function translator(language: UiLanguage): Translate {
	const catalog = catalogs[language];
	return (key, params) => {
		const template = catalog[key] ?? en[key] ?? key;
		return fillTemplate(template, params);
	};
}

type I18n = {language: UiLanguage; t: Translate; say: Say};

const I18nContext = createContext<I18n>({language: 'en', t: translator('en'), say: message => renderMessage(message, 'en')});

export function I18nProvider({language, children}: {language: UiLanguage; children: ReactNode}) {
	const value = useMemo(() => ({language, t: translator(language), say: (message: Message) => renderMessage(message, language)}), [language]);
	return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
	return useContext(I18nContext);
}

export {type MessageKey} from './en.js';
