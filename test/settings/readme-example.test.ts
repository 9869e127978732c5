import fs from 'node:fs';
import test from 'ava';
import {checkSettings} from '../../source/settings/check-settings.js';

/** The settings.json shown in readme.md is one the schema accepts: the documentation cannot drift. */
test('the readme\'s example settings file is valid and reads back with its defaults filled in', t => {
	const readme = fs.readFileSync(new URL('../../readme.md', import.meta.url), 'utf8');
	const section = readme.slice(readme.indexOf('## Settings and the guideline'));
	const example = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
	t.truthy(example, 'the Settings section shows a settings.json');
	const verdict = checkSettings(JSON.parse(example!));
	const settings = verdict.ok ? verdict.settings : undefined;
	t.truthy(settings, verdict.ok ? '' : verdict.problem);
	t.is(settings?.targets.find(target => target.name === 'NAS')?.retention?.daily, 14);
	t.is(settings?.sentinel.changedShare, 0.2, 'a section left out takes its defaults');
	t.is(settings?.language, 'auto');
});
