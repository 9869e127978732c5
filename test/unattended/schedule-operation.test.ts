import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {planSchedules, scheduleInstall, scheduleList, scheduleRemove} from '../../source/app/operations/schedule.js';
import type {OperationContext} from '../../source/app/operations/context.js';
import {noJournals} from '../../source/app/operations/journals.js';
import {MediumOpener} from '../../source/app/operations/open.js';
import {Passphrases} from '../../source/app/operations/passphrase.js';
import {writeRunStatus} from '../../source/settings/run-status.js';
import {SettingsStore} from '../../source/settings/store.js';
import {StateStore} from '../../source/settings/state.js';
import {driveSource} from '../../source/system/drive-source.js';
import {nextRun} from '../../source/system/schedule/next-run.js';
import {removeTree} from '../helpers/trees.js';
import {folderSite} from './site.js';

/**
 * The one schedule operation the CLI and the console share: it installs into a unit folder it
 * is given (never the real systemd here), the units pass `systemd-analyze verify`, the next run
 * is computed from the context's clock, and the last run comes from the status file.
 */
function contextAt(home: string, now: Date): OperationContext {
	const settings = new SettingsStore(home);
	return {
		settings: () => settings.get(),
		state: new StateStore(home),
		drives: driveSource(),
		media: new MediumOpener(new Passphrases({})),
		emit: () => undefined,
		journals: noJournals,
		now: () => now,
	};
}

test('next runs follow the calendar from a given now, in local time', t => {
	// Wednesday 7 January 2026, 01:00 local.
	const now = new Date(2026, 0, 7, 1, 0, 0);
	t.deepEqual(nextRun('*-*-* 02:30:00', 'systemd', now), new Date(2026, 0, 7, 2, 30, 0));
	t.deepEqual(nextRun('*-*-* 00:30:00', 'systemd', now), new Date(2026, 0, 8, 0, 30, 0));
	t.deepEqual(nextRun('Sun *-*-* 04:30:00', 'systemd', now), new Date(2026, 0, 11, 4, 30, 0));
	t.deepEqual(nextRun('30 2 * * *', 'cron', now), new Date(2026, 0, 7, 2, 30, 0));
	t.deepEqual(nextRun('30 4 * * 0', 'cron', now), new Date(2026, 0, 11, 4, 30, 0));
	// Exactly at the time: the next one is tomorrow's.
	t.deepEqual(nextRun('*-*-* 01:00:00', 'systemd', now), new Date(2026, 0, 8, 1, 0, 0));
	t.is(nextRun('hourly', 'systemd', now), undefined);
});

test('install writes units systemd accepts into the folder given; list and the plan view show the next run from the clock; remove deletes them', async t => {
	const site = await folderSite();
	const previousHome = process.env['SEDAI_HOME'];
	process.env['SEDAI_HOME'] = site.home;
	t.teardown(() => {
		process.env['SEDAI_HOME'] = previousHome;
		removeTree(site.root);
	});
	const units = path.join(site.root, 'units');
	const locations = {unitDirectory: units, cronDirectory: path.join(site.root, 'cron.d')};
	const now = new Date(2026, 0, 7, 1, 0, 0);
	const context = contextAt(site.home, now);

	const result = await scheduleInstall(context, {plan: 'nightly', at: '23:15', verifyWeekly: true, locations});
	t.is(result.mechanism, 'unit-files');
	t.deepEqual(fs.readdirSync(units).sort(), ['sedai-backup-nightly.service', 'sedai-backup-nightly.timer', 'sedai-verify-nightly.service', 'sedai-verify-nightly.timer']);
	t.false(fs.existsSync(locations.cronDirectory), 'no cron file next to the units');
	const verify = await execa('systemd-analyze', ['verify', ...fs.readdirSync(units).map(name => path.join(units, name))], {reject: false});
	t.is(verify.exitCode, 0, `${verify.stderr}${verify.exitCode === undefined ? ' (is systemd-analyze installed? apt-get install systemd)' : ''}`);
	t.is(verify.stderr.trim(), '');

	const entries = await scheduleList(context, locations);
	t.deepEqual(entries.map(entry => [entry.kind, entry.at, entry.nextRun]), [
		['backup', '23:15', new Date(2026, 0, 7, 23, 15).toISOString()],
		['verify', '01:15', new Date(2026, 0, 11, 1, 15).toISOString()],
	]);

	const ended = new Date(2026, 0, 6, 23, 20).toISOString();
	t.true(writeRunStatus({site: 'Test clinic', plan: 'nightly', ok: false, time: ended, ended, sealed: [], offline: [], failures: ['NAS: no space left'], suspect: false, host: 'h'}));
	const [plan] = await planSchedules(context, locations);
	t.like(plan, {plan: 'nightly', nextRun: new Date(2026, 0, 7, 23, 15).toISOString(), lastRun: {ok: false, failures: ['NAS: no space left']}});

	await t.throwsAsync(scheduleInstall(context, {plan: 'nightly', at: '7pm', verifyWeekly: false, locations}), {message: /"7pm" is not a time of day: write it as HH:MM/u});
	const removed = await scheduleRemove(context, {plan: 'nightly', locations});
	t.is(removed.length, 4);
	t.deepEqual(fs.readdirSync(units), []);
	t.deepEqual((await planSchedules(context, locations))[0]?.entries, []);
});
