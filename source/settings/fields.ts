import path from 'node:path';
import * as v from 'valibot';
import {nearestName} from './nearest-name.js';

/**
 * The building blocks of the settings schema. Each carries its own message, written as the second
 * half of "<field>: <problem>": it names the bad value and says what would be right.
 */
export function shown(value: unknown): string {
	if (value === undefined) {
		return 'missing';
	}

	// JSON spelling, as the value appears in settings.json.
	return JSON.stringify(value) ?? typeof value;
}

/** A whole number within bounds, `fallback` when absent. */
export function count(min: number, max: number) {
	const message = (issue: v.BaseIssue<unknown>) => `${shown(issue.input)} is not allowed: use a whole number from ${min} to ${max}`;
	return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

/** A number within bounds (shares 0…1, entropy 0…8 bits per byte). */
export function fraction(min: number, max: number) {
	const message = (issue: v.BaseIssue<unknown>) => `${shown(issue.input)} is not allowed: use a number from ${min} to ${max}`;
	return v.pipe(v.number(message), v.minValue(min, message), v.maxValue(max, message));
}

export function text() {
	return v.string(issue => `${shown(issue.input)} is not text: put it in double quotes`);
}

/** A non-empty name (targets, plans). */
export function name() {
	return v.pipe(text(), v.check(value => value.trim() !== '', 'the name is empty: give it a name, e.g. "RDX-A"'));
}

/** An absolute path: relative ones would depend on the folder Sedai happens to be started from. */
export function absolutePath() {
	return v.pipe(text(), v.check(value => path.isAbsolute(value), issue => `${shown(issue.input)} is not an absolute path: give the full path, starting with /`));
}

export function list<const T extends v.GenericSchema>(item: T) {
	return v.array(item, issue => `${shown(issue.input)} is not a list: write it as [ … ]`);
}

export function oneOf<const T extends readonly string[]>(options: T) {
	return v.picklist(options, issue => `${shown(issue.input)} is not allowed: use one of ${options.map(option => JSON.stringify(option)).join(', ')}`);
}

/**
 * An object that refuses keys it does not know: a typo ("retension") would otherwise be ignored
 * and its setting silently left at the default.
 */
export function strict<const T extends v.ObjectEntries>(entries: T) {
	const names = Object.keys(entries);
	const known = names.join(', ');
	return v.strictObject(entries, issue => {
		if (issue.expected === 'never') {
			const key: unknown = issue.path?.at(-1)?.key;
			const typed = typeof key === 'string' ? key : '';
			const nearest = nearestName(typed, names);
			return `unknown setting "${typed}": ${nearest ? `did you mean "${nearest}"? Correct its spelling or remove it` : 'remove it or correct its spelling'} (known here: ${known})`;
		}

		return issue.expected?.startsWith('"') ? 'missing: add it' : `${shown(issue.input)} is not an object: write it as { … }`;
	});
}
