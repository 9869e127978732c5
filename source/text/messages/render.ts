import type {Message, MessageParam} from '../../core/message.js';
import {formatCount} from '../format.js';
import {en, type MessageCode} from './en.js';
import {ja} from './ja.js';

/**
 * An engine message in the front end's language. `{name}` takes a parameter, `{^name}` the
 * same with its first letter capitalised (English sentences that start with a place). A list
 * parameter is joined the way the language joins lists; an unknown code shows as itself with
 * its parameters, so nothing is ever silently dropped.
 */
export type Language = 'en' | 'ja';

const catalogs: Record<Language, Record<MessageCode, string>> = {en, ja};

const separators: Record<Language, {list: string; sentences: string}> = {
	en: {list: '; ', sentences: ' '},
	ja: {list: '、', sentences: ''},
};

export function isMessageCode(code: string): code is MessageCode {
	return Object.hasOwn(en, code);
}

export function renderMessage(message: Message, language: Language): string {
	if (!isMessageCode(message.code)) {
		return message.params ? `${message.code} ${JSON.stringify(message.params)}` : message.code;
	}

	const params = message.params ?? {};
	const joiner = message.code === 'list.sentences' ? separators[language].sentences : separators[language].list;
	return catalogs[language][message.code].replaceAll(/{(\^?)(\w+)}/g, (whole, capital: string, name: string) => {
		if (!Object.hasOwn(params, name)) {
			return whole;
		}

		const text = renderParam(params[name], language, joiner);
		return capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
	});
}

function renderParam(value: MessageParam, language: Language, joiner: string): string {
	if (typeof value === 'number') {
		return formatCount(value);
	}

	if (typeof value === 'string') {
		return value;
	}

	return Array.isArray(value) ? value.map(item => renderMessage(item, language)).join(joiner) : renderMessage(value, language);
}

/**
 * The CLI's language: settings.language when it says 'en' or 'ja', else the locale (LC_ALL,
 * LC_MESSAGES, LANG, the first one set), Japanese for ja_*.
 */
export function cliLanguage(environment: NodeJS.ProcessEnv = process.env, setting?: string): Language {
	if (setting === 'en' || setting === 'ja') {
		return setting;
	}

	// Empty means unset for locale variables.
	// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	const locale = environment['LC_ALL'] || environment['LC_MESSAGES'] || environment['LANG'] || '';
	return /^ja/i.test(locale) ? 'ja' : 'en';
}
