import * as v from 'valibot';
import {siteSettingsSchema, type SiteSettings} from './schema.js';
import type {RuleOptions} from './settings-rules.js';

/** The verdict on a would-be settings object: the settings, or the first problem as "<field>: <problem>". */
export type SettingsVerdict = {ok: true; settings: SiteSettings} | {ok: false; problem: string; field: string | undefined};

/** "targets[1].retention.daily", as a technician would find it in the file. */
function fieldOf(issue: v.BaseIssue<unknown>): string | undefined {
	const keys = issue.path?.map(item => item.key as string | number) ?? [];
	return keys.length === 0 ? undefined : keys.map((key, index) => typeof key === 'number' ? `[${key}]` : (index === 0 ? key : `.${key}`)).join('');
}

const loading = siteSettingsSchema();

export function checkSettings(input: unknown, options: RuleOptions = {}): SettingsVerdict {
	const result = v.safeParse(options.saving ? siteSettingsSchema(options) : loading, input);
	if (result.success) {
		return {ok: true, settings: result.output};
	}

	const [first] = result.issues;
	const field = fieldOf(first);
	// Rules across fields name their field in the message; a field's own check does not.
	return {ok: false, problem: field ? `${field}: ${first.message}` : first.message, field};
}
