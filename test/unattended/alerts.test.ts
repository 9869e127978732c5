import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {startJournal} from '../../source/settings/job-journal.js';
import {sedai} from '../helpers/cli.js';
import {removeTree} from '../helpers/trees.js';
import {folderSite, writeSettings, type Site} from './site.js';
import {smtpSink, webhookSink} from './sinks.js';

/**
 * A failing plan run alerts through a webhook and an SMTP server (both local, started here) and
 * turns `sedai status` red; a good run turns it green and sends nothing.
 */
async function siteWithBrokenTarget(alerts: Record<string, unknown>): Promise<Site> {
	const site = await folderSite();
	// The NAS folder is reachable but holds no repository: the one target fails, the run fails.
	const empty = path.join(site.root, 'empty-share');
	fs.mkdirSync(empty);
	writeSettings(site, {targets: [{name: 'NAS', kind: 'folder', path: empty}], alerts});
	return site;
}

test('a failed plan run posts the webhook JSON, mails the failure, and sedai status exits 1; a good run clears it', async t => {
	const [hook, smtp] = await Promise.all([webhookSink(), smtpSink()]);
	t.teardown(async () => Promise.all([hook.close(), smtp.close()]));
	const alerts = {webhook: {url: hook.url}, email: {to: 'it@clinic.example', from: 'sedai@ehr.example', smtp: {host: '127.0.0.1', port: smtp.port}}, timeoutMs: 5000};
	const site = await siteWithBrokenTarget(alerts);
	t.teardown(() => {
		removeTree(site.root);
	});

	const failed = await sedai(['backup', '--plan', 'nightly', '--json'], {home: site.home});
	t.is(failed.exitCode, 1, failed.stdout);
	const [post] = await hook.next(1);
	t.like(post, {method: 'POST', contentType: 'application/json; charset=utf-8'});
	t.like(post['body'], {source: 'sedai', site: 'Test clinic', plan: 'nightly', result: 'failed', suspect: false});
	const body = post['body'] as {failures: string[]; time: string};
	t.regex(body.failures[0], /^NAS: .*holds no Sedai repository/u);
	t.false(Number.isNaN(Date.parse(body.time)));
	const [mail] = await smtp.next(1);
	t.deepEqual(mail.to, ['it@clinic.example']);
	t.regex(mail.headers['subject'], /^\[Sedai\] Test clinic: backup plan "nightly" FAILED \(NAS: /u);

	const red = await sedai(['status', '--json'], {home: site.home});
	t.is(red.exitCode, 1, red.stdout);
	t.like((red.summary!['plans'] as unknown[])[0], {plan: 'nightly', state: 'failed', ok: false});
	const statusFile = JSON.parse(fs.readFileSync(path.join(site.home, 'status.json'), 'utf8')) as {plans: Record<string, {ok: boolean}>};
	t.false(statusFile.plans['nightly'].ok);

	writeSettings(site, {alerts});
	const good = await sedai(['backup', '--plan', 'nightly', '--json'], {home: site.home});
	t.is(good.exitCode, 0, good.stderr);
	const green = await sedai(['status'], {home: site.home});
	t.is(green.exitCode, 0, green.stdout);
	t.regex(green.stdout, /ok {2}plan "nightly": done/u);
	// A good night is quiet: nothing more arrived (the run awaited its alerts before exiting).
	t.is(hook.items.length, 1);
	t.is(smtp.items.length, 1);
});

test('sedai status judges the journal: failed → 1, good and recent → 0, good but 30 h old → 1', async t => {
	const site = await folderSite();
	t.teardown(() => {
		removeTree(site.root);
	});
	const jobs = path.join(site.home, 'jobs');
	const journal = (hoursAgo: number, ok: boolean): void => {
		const at = new Date(Date.now() - (hoursAgo * 3_600_000));
		const job = startJournal({kind: 'backup', label: 'plan nightly'}, {directory: jobs, now: () => at});
		job.end({ok, exitCode: ok ? 0 : 1, summary: {ok, plan: 'nightly', time: at.toISOString(), sealed: ok ? ['NAS'] : [], offline: [], failed: ok ? [] : ['NAS'], suspect: false, targets: [{name: 'NAS', status: ok ? 'sealed' : 'error', message: 'disk full'}]}});
	};

	t.is((await sedai(['status'], {home: site.home})).exitCode, 1, 'nothing ran yet');
	journal(3, false);
	const failed = await sedai(['status'], {home: site.home});
	t.is(failed.exitCode, 1);
	t.regex(failed.stdout, /PROBLEM {2}plan "nightly": failed.*NAS: disk full/u);
	journal(2, true);
	t.is((await sedai(['status'], {home: site.home})).exitCode, 0);
	t.is((await sedai(['status', '--max-age', '1'], {home: site.home})).exitCode, 1, 'older than --max-age');
	journal(1, true);
	fs.rmSync(jobs, {recursive: true});
	journal(30, true);
	const stale = await sedai(['status', '--json'], {home: site.home});
	t.is(stale.exitCode, 1);
	t.regex(String((stale.summary!['plans'] as Array<{problem: string}>)[0].problem), /^last run is 30 h old, more than the 26 h expected$/u);
});

test('sedai status --test-alert pipes a mail into sendmail -t; an unreachable webhook is one warning and exit 1', async t => {
	const site = await folderSite();
	t.teardown(() => {
		removeTree(site.root);
	});
	const spool = path.join(site.root, 'spool.eml');
	// A stand-in for the local MTA: sendmail -t reads the message, recipients from its headers.
	const sendmail = path.join(site.root, 'sendmail');
	fs.writeFileSync(sendmail, `#!/bin/sh\n[ "$1" = "-t" ] || exit 64\ncat > '${spool}'\n`, {mode: 0o755});
	const closed = await webhookSink();
	await closed.close();
	writeSettings(site, {alerts: {email: {to: ['it@clinic.example'], sendmail}, webhook: {url: closed.url}, timeoutMs: 3000}});
	const result = await sedai(['status', '--test-alert'], {home: site.home});
	t.is(result.exitCode, 1);
	t.regex(result.stderr, /The webhook alert was not sent: the webhook http:\/\/127\.0\.0\.1:\d+\/hooks\/sedai could not be reached \(ECONNREFUSED\)\./u);
	t.notRegex(result.stderr, /\n\s+at /u, 'no stack trace');
	const mail = fs.readFileSync(spool, 'utf8');
	t.regex(mail, /^To: it@clinic\.example$/mu);
	t.regex(mail, /^Subject: \[Sedai\] Test clinic: test alert from /mu);
});

test('a bad alerts section is one sentence naming the setting', async t => {
	const site = await folderSite();
	t.teardown(() => {
		removeTree(site.root);
	});
	writeSettings(site, {alerts: {webhook: {url: 'not a url'}}});
	const result = await sedai(['status', '--test-alert'], {home: site.home});
	t.is(result.exitCode, 1);
	t.regex(result.stderr, /alerts\.webhook\.url: the webhook needs a full URL/u);
});
