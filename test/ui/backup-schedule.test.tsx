// eslint-disable-next-line import-x/no-unassigned-import, import-x/order -- must run before ink is loaded
import './interactive-terminal.js';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {Session} from '../../source/app/session.js';
import {writeRunStatus} from '../../source/settings/run-status.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {keys, renderAt, type Rendered} from './render-helper.js';
import {demoFixture} from './demo-fixture.js';

/**
 * The Backup view schedules the demo's plan as a technician would (s, the time, Enter), into a
 * unit folder of the test's own: the plan's line shows the time, the last night's result and the
 * next run counted from the session's fixed clock; x removes it again.
 */
let world: Awaited<ReturnType<typeof demoFixture>>;
let session: Session;
let ui: Rendered;
let units: string;
const ctrlU = '\u0015';
// 01:00 today, local time: the clock the session (and so the view) reads.
const today = new Date();
const now = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 1, 0, 0);

test.before(async () => {
	world = await demoFixture();
	units = path.join(world.root, 'test-units');
	const ended = new Date(now.getTime() - (90 * 60_000)).toISOString();
	writeRunStatus({site: 'Sakura Clinic (demo)', plan: 'nightly', ok: false, time: ended, ended, sealed: ['RDX-A'], offline: ['RDX-B'], failures: ['NAS: the share is not mounted'], suspect: false, host: 'demo'});
	session = new Session({pollMs: 0, now: () => now, schedules: {unitDirectory: units, cronDirectory: path.join(world.root, 'test-cron')}});
	ui = renderAt(<App session={session} theme={makeTheme({color: false, unicode: true})} initialView='backup' liveIntervalMs={20}/>, 80, 24);
	await ui.waitFor(/plan\s+nightly/);
});

test.after.always(async () => {
	ui?.unmount();
	await session?.dispose();
	await world?.cleanup();
});

const planLine = (frame: string) => frame.split('\n').find(line => /plan\s+nightly/u.test(line)) ?? '';

test.serial('an unscheduled plan says so, with the last night\'s failure from the status file', async t => {
	const line = planLine(await ui.waitFor('not scheduled'));
	t.regex(line, /not scheduled\s+✗ FAILED 1h ago/u);
});

test.serial('s asks the time and the weekly verification, installs the units into the given folder, and the view shows the next run from the fixed clock', async t => {
	await ui.press('s');
	await ui.waitFor('Schedule plan nightly');
	await ui.press(ctrlU);
	await ui.type('23:45');
	await ui.press(keys.enter);
	const frame = await ui.waitFor('daily 23:45');
	const hours = Math.floor((new Date(now.getFullYear(), now.getMonth(), now.getDate(), 23, 45).getTime() - now.getTime()) / 3_600_000);
	t.regex(planLine(frame), new RegExp(String.raw`▶ daily 23:45\s+✗ FAILED 1h ago\s+next in ${hours}h`, 'u'));
	t.deepEqual(fs.readdirSync(units).sort(), ['sedai-backup-nightly.service', 'sedai-backup-nightly.timer', 'sedai-verify-nightly.service', 'sedai-verify-nightly.timer']);
	const verify = await execa('systemd-analyze', ['verify', ...fs.readdirSync(units).map(name => path.join(units, name))], {reject: false});
	t.is(verify.exitCode, 0, verify.stderr);

	// On the plan's line: which unit runs it, when exactly, and why the last run failed; at 200×50 also the rest.
	await ui.press('G');
	const details = await ui.waitFor('timer sedai-backup-nightly.timer');
	t.regex(details, /timer sedai-backup-nightly\.timer: \*-\*-\* 23:45:00\s+next 23:45/u);
	t.regex(details, /✗ NAS: the share is not mounted/u);
	await ui.resize(200, 50);
	const wide = await ui.waitFor('sedai-verify-nightly.timer');
	t.regex(wide, /\+ full verify Sun 01:45\s+sedai-verify-nightly\.timer/u);
	t.regex(wide, /last run sealed RDX-A\s+offline RDX-B/u);
	await ui.resize(80, 24);
});

test.serial('the status bar shows the next run where it fits: not at 80 columns, at 200', async t => {
	t.false((ui.lastFrame().split('\n').at(-2) ?? '').includes('next 23:45'), 'at 80×24 the offline cartridge and the newest age come first');
	t.regex(ui.lastFrame(), /○ RDX-B │ newest/u);
	await ui.resize(200, 50);
	const frame = await ui.waitFor(screen => (screen.split('\n').at(-2) ?? '').includes('│ next 23:45'));
	t.regex(frame.split('\n').at(-2)!, /○ RDX-B │ newest .* │ next 23:45/u);
	await ui.resize(80, 24);
});

test.serial('a bad time is refused with one sentence and nothing changes', async t => {
	const before = fs.readFileSync(path.join(units, 'sedai-backup-nightly.timer'), 'utf8');
	await ui.press('s');
	await ui.waitFor('Schedule plan nightly');
	await ui.press(ctrlU);
	await ui.type('25:00');
	await ui.press(keys.enter);
	await ui.waitFor(screen => screen.includes('Could not do that') && screen.includes('"25:00" is not a time of day'));
	await ui.press(keys.escape);
	await ui.waitFor(screen => !screen.includes('Could not do that'));
	t.is(fs.readFileSync(path.join(units, 'sedai-backup-nightly.timer'), 'utf8'), before);
});

test.serial('x removes the schedule after a yes', async t => {
	await ui.press('x');
	await ui.waitFor('Remove the schedule of nightly?');
	await ui.press('y');
	await ui.waitFor('not scheduled');
	t.deepEqual(fs.readdirSync(units), []);
});
