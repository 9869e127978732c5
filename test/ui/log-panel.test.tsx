import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {Session} from '../../source/app/session.js';
import {LogStore, type StoredLogEntry} from '../../source/settings/log-store.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {keys, renderAt} from './render-helper.js';

/**
 * The log as a technician reads it: kept on disk between sessions (yesterday's error is there
 * today), focused with Tab, scrolled, filtered by text and level, long lines wrapped. Times are
 * relative to now, so no calendar day changes the outcome.
 */
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sedai-log-'));
process.env['SEDAI_HOME'] = home;
const day = 86_400_000;

test.after.always(() => {
	fs.rmSync(home, {recursive: true, force: true});
});

function entry(time: number, level: StoredLogEntry['level'], text: string): StoredLogEntry {
	return {time, level, message: {text}};
}

test('the log store keeps days apart, reads them back in order and drops the ones too old', t => {
	const directory = path.join(home, 'store-test');
	const store = new LogStore(directory, 30);
	const now = Date.now();
	store.append(entry(now - (40 * day), 'info', 'too old'));
	store.append(entry(now - (2 * day), 'error', 'two days ago'));
	store.append(entry(now, 'ok', 'today'));
	fs.appendFileSync(path.join(directory, fs.readdirSync(directory).sort().at(-1)!), '{"cut short\n');
	t.is(fs.readdirSync(directory).length, 3);
	const read = store.recent(now);
	t.deepEqual(read.map(item => item.message), [{text: 'two days ago'}, {text: 'today'}]);
	t.is(fs.readdirSync(directory).length, 2, 'the file of 40 days ago is deleted');
});

test.serial('Tab twice reads the log: earlier days under their date, wrapped, scrolled, filtered', async t => {
	const now = Date.now();
	const store = new LogStore(path.join(home, 'log'));
	store.append(entry(now - (2 * day), 'error', 'RDX-B: the cartridge could not be read (I/O error)'));
	for (let index = 1; index <= 30; index++) {
		store.append(entry(now - 60_000 + index, 'info', `routine line ${index}`));
	}

	store.append(entry(now, 'warn', `a long warning ${'that goes on '.repeat(12)}and ends here`));
	const session = new Session({pollMs: 0});
	const ui = renderAt(<App session={session} theme={makeTheme({color: false, unicode: true})} liveIntervalMs={20}/>, 80, 24);
	try {
		await ui.waitFor('Sedai');
		await ui.press(keys.tab, keys.tab);
		let frame = await ui.waitFor(/─ Log .*↑ \d+ more/);
		t.regex(frame, /and ends here/, 'the newest entry is in sight, its end wrapped onto a line of its own');
		t.notRegex(frame, /─ Jobs/, 'the panel is the log now');

		await ui.press('g');
		const dayLine = new Date(now - (2 * day));
		const date = `${dayLine.getFullYear()}-${String(dayLine.getMonth() + 1).padStart(2, '0')}-${String(dayLine.getDate()).padStart(2, '0')}`;
		frame = await ui.waitFor(/↓ \d+ more/);
		t.true(frame.includes(`── ${date} ──`), 'an earlier day is named above its entries');
		t.regex(frame, /✗ RDX-B: the cartridge could not be read/);

		await ui.press('f', 'f');
		frame = await ui.waitFor('errors only');
		t.regex(frame, /RDX-B: the cartridge could not be read/);
		t.notRegex(frame, /routine line/);

		await ui.press('f', '/');
		await ui.type('line 2');
		await ui.press(keys.enter);
		frame = await ui.waitFor(/\/line 2 /);
		const shown = frame.split('\n').flatMap(line => /routine line (\d+)/.exec(line)?.[1] ?? []);
		t.deepEqual(shown, ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'], 'the ten newest matches fill the panel');
		t.regex(frame, /↑ 1 more/, 'line 2 is above them');
		t.notRegex(frame, /errors only|RDX-B/);

		await ui.press('q');
		frame = await ui.waitFor(/─ Jobs/);
		t.notRegex(frame, /\/line 2/);
	} finally {
		ui.unmount();
		await session.dispose();
	}
});
