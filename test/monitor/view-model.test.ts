import test from 'ava';
import {buildMonitorView, type MonitorInput} from '../../source/monitor/view-model.js';
import {lineText} from '../../source/monitor/segments.js';
import type {CartridgeRecord, DrillRecord, VerificationRecord} from '../../source/settings/state.js';
import {asciiSymbols, unicodeSymbols} from '../../source/text/symbols.js';
import {iso, now, progressAt, track} from './tracks.js';

const mib = 1024 * 1024;
const minute = 60_000;

function input(partial: Partial<MonitorInput>): MonitorInput {
	return {now, jobs: [], cartridges: [], verifications: [], drills: [], ...partial};
}

function cartridge(label: string, fields: Partial<CartridgeRecord> = {}): CartridgeRecord {
	return {
		id: `id-${label}`, label, encrypted: true, firstSeen: iso(90 * 24 * 60 * minute), lastSeen: iso(5 * minute), lastPath: `/mnt/${label}/sedai`,
		generations: [
			{id: 'g1', shortId: 'g1', seq: 11, time: iso(50 * 60 * minute), files: 10, bytes: 100, newBytes: 1, storedBytes: 1, suspect: false},
			{id: 'g2', shortId: 'g2', seq: 12, time: iso(3 * 60 * minute), files: 10, bytes: 100, newBytes: 1, storedBytes: 1, suspect: false},
		],
		...fields,
	};
}

test('a running backup: percent, bytes, files, rate, ETA and the current file, all formatted', t => {
	const view = buildMonitorView(input({jobs: [track({status: 'running', startedAgo: 7000, last: progressAt(300)})]}), unicodeSymbols);
	t.is(view.jobs.length, 1);
	t.like(view.jobs[0], {
		status: 'running', glyph: '▶', word: 'running', title: 'backup RDX-A', phase: 'read', percent: ' 25%',
		bytes: '512 MiB/2.0 GiB', files: '120/480 files', rate: '80.0 MiB/s', eta: 'ETA 19.0 s', current: 'patients/2026/山田太郎/レントゲン画像_0001.dcm',
	});
	t.is(view.jobs[0].fraction, 0.25);
	t.regex(lineText(view.header), /^Sedai monitor · ▶ 1 running · \d\d:\d\d:\d\d$/);
});

test('running jobs come first (newest first), then finished ones of the last day by recency; older ones are left out', t => {
	const view = buildMonitorView(input({jobs: [
		track({name: 'old', status: 'done', startedAgo: 30 * 60 * minute, log: [{type: 'end', t: iso(29 * 60 * minute), ok: true, exitCode: 0, durationMs: 1000}]}),
		track({name: 'verify-done', kind: 'verify', status: 'done', startedAgo: 20 * minute, log: [{type: 'end', t: iso(10 * minute), ok: true, exitCode: 0, durationMs: 600_000, result: {problems: [], generations: 4, bytesRead: 3 * 1024 * mib}}]}),
		track({name: 'restore-running', kind: 'restore', status: 'running', startedAgo: 2 * minute, last: progressAt(100, {phase: 'restore'})}),
		track({name: 'backup-running', status: 'running', startedAgo: minute, last: progressAt(100)}),
		track({name: 'prune-failed', kind: 'prune', status: 'failed', startedAgo: 5 * minute, log: [{type: 'end', t: iso(4 * minute), ok: false, exitCode: 1, durationMs: 60_000, error: {code: 'locked', message: 'RDX-A is locked by a backup on clinic-server (pid 77).'}}]}),
	]}), unicodeSymbols);
	t.deepEqual(view.jobs.map(job => job.key), ['backup-running', 'restore-running', 'prune-failed', 'verify-done']);
	t.like(view.jobs[2], {word: 'FAILED', tone: 'bad', outcome: 'RDX-A is locked by a backup on clinic-server (pid 77). (exit 1)'});
	t.like(view.jobs[3], {word: 'done', outcome: 'no damage: 4 generation(s), 3.0 GiB re-read', when: 'finished 10 min ago in 10:00'});
	// A finished job shows no live figures.
	t.is(view.jobs[3].rate, '');
	t.regex(lineText(view.header), /2 running .* 1 failed/);
});

test('an interrupted job says which process vanished and in which phase', t => {
	const view = buildMonitorView(input({jobs: [track({status: 'interrupted', startedAgo: 10 * minute, pid: 999, last: progressAt(6 * minute, {phase: 'write'})})]}), asciiSymbols);
	t.like(view.jobs[0], {glyph: '!', word: 'interrupted', tone: 'warn', when: 'last heard 6 min ago'});
	t.regex(view.jobs[0].outcome, /process 999 ended without a result during write: run it again \(nothing half-written is sealed\)/);
	t.regex(lineText(view.header), /! 1 interrupted/);
	const last = view.log.at(-1)!;
	t.is(last.key, `${view.jobs[0].key}#interrupted`);
	t.regex(last.text, /backup RDX-A interrupted: process 999 is gone without a result/);
});

test('outcomes are read from each kind\'s typed result: backup, plan backup, restore, prune', t => {
	const ended = (kind: 'backup' | 'restore' | 'prune', result: Record<string, unknown>, name: string) => track({name, kind, status: 'done', startedAgo: 3 * minute, log: [{type: 'end', t: iso(2 * minute), ok: true, exitCode: 0, durationMs: 60_000, result}]});
	const sealed = {name: 'RDX-A', status: 'sealed', suspect: true, generation: {shortId: 'ab12cd34', seq: 7, files: 20_000, bytes: 5 * 1024 * mib, newBytes: 12 * mib}};
	const view = buildMonitorView(input({jobs: [
		ended('backup', {targets: [sealed], sealed: ['RDX-A'], offline: [], failed: []}, 'a'),
		ended('backup', {plan: 'nightly', targets: [], sealed: ['rdx', 'nas'], offline: ['rdx-b'], failed: []}, 'b'),
		ended('restore', {files: 1234, bytes: 300 * mib, mismatches: [], refused: []}, 'c'),
		ended('prune', {dryRun: true, kept: 9, removed: 2, bytesFreed: 40 * mib}, 'd'),
	]}), unicodeSymbols);
	const outcome = (key: string) => view.jobs.find(job => job.key === key)?.outcome;
	t.is(outcome('a'), 'generation ab12cd34 (#7): 20,000 files, 5.0 GiB, 12.0 MiB new - SUSPECT');
	t.is(outcome('b'), 'sealed on rdx, nas; offline: rdx-b');
	t.is(outcome('c'), '1,234 files, 300 MiB, every byte matches');
	t.is(outcome('d'), 'dry run: would remove 2, kept 9, 40.0 MiB to free');
});

test('throughput sums concurrent jobs per point, picks a unit from the peak and labels whole minutes', t => {
	const jobs = [
		track({name: 'a', status: 'running', startedAgo: 10 * minute, last: progressAt(500, {rate: 30 * mib}), samples: [{ago: 60_000, rate: 40 * mib}, {ago: 61_000, rate: 60 * mib}, {ago: 1000, rate: 30 * mib}, {ago: 20 * minute, rate: 900 * mib}]}),
		track({name: 'b', kind: 'verify', status: 'running', startedAgo: 10 * minute, last: progressAt(500, {rate: 70 * mib}), samples: [{ago: 60_000, rate: 100 * mib}]}),
	];
	const view = buildMonitorView(input({jobs}), unicodeSymbols);
	const flow = view.throughput;
	t.is(flow.values.length, 61);
	t.is(flow.unit, 'MiB/s');
	// One minute ago: a's two samples average 50, plus b's 100.
	t.is(flow.values[48], 150);
	t.is(flow.values[60], 30);
	// The 20-minute-old sample is outside the window; nothing else was recorded.
	t.is(flow.values.filter(value => value > 0).length, 2);
	t.is(flow.labels[0], '-5m');
	t.is(flow.labels[48], '-1m');
	t.is(flow.labels[60], 'now');
	t.is(flow.labels[50], '');
	t.is(flow.labelEvery, 12);
	t.is(flow.current, '100 MiB/s');
	t.is(flow.peak, '150 MiB/s');
});

test('the log merges every job\'s lines by time with a glyph and a word for each outcome', t => {
	const jobs = [
		track({name: 'v', kind: 'verify', detail: 'full', status: 'failed', startedAgo: 5 * minute, pid: 11, log: [
			{type: 'phase', t: iso(4 * minute), phase: 'check', message: 'Reading and re-hashing 176 pack(s)'},
			{type: 'end', t: iso(minute), ok: false, exitCode: 3, durationMs: 240_000, result: {problems: [{}, {}], generations: 3, bytesRead: mib}, suppressed: 5},
		]}),
		track({name: 'b', status: 'done', startedAgo: 4.5 * minute, pid: 12, log: [
			{type: 'warning', t: iso(3 * minute), code: 'source-unreadable', message: 'Cannot read /srv/ehr/locked.db'},
			{type: 'end', t: iso(2 * minute), ok: true, exitCode: 0, durationMs: 2.5 * minute, result: {targets: [{name: 'RDX-A', status: 'sealed', generation: {shortId: 'ab12cd34', seq: 7, files: 3, bytes: 300, newBytes: 0}}], sealed: ['RDX-A'], offline: [], failed: []}},
		]}),
	];
	const view = buildMonitorView(input({jobs}), asciiSymbols);
	t.deepEqual(view.log.map(line => line.text), [
		'verify RDX-A full started (pid 11)',
		'backup RDX-A started (pid 12)',
		'verify RDX-A: Reading and re-hashing 176 pack(s)',
		'backup RDX-A: Cannot read /srv/ehr/locked.db',
		'backup RDX-A finished OK in 2:30: generation ab12cd34 (#7): 3 files, 300 B, 0 B new',
		'verify RDX-A FAILED (exit 3): DAMAGE: 2 problem(s) in 3 generation(s), 1.0 MiB re-read',
		'verify RDX-A: 5 more warning(s) or line(s) not journaled; see the command\'s own output',
	]);
	t.deepEqual(view.log.map(line => line.glyph), ['>', '>', '>', '!', '+', 'x', '!']);
	t.deepEqual(new Set(view.log.map(line => line.key)).size, view.log.length);
});

test('cartridges: the one in use first, then online, then the shelf; offline since, newest age, count and warnings', t => {
	const cartridges = [
		cartridge('RDX-C', {offlineSince: iso(3 * 24 * 60 * minute), offlineReason: 'ejected'}),
		cartridge('RDX-B'),
		cartridge('RDX-A', {removable: true, encrypted: false, generations: [{id: 'x', shortId: 'x', seq: 4, time: iso(10 * minute), files: 1, bytes: 1, newBytes: 1, storedBytes: 1, suspect: true}]}),
		cartridge('NAS', {offlineSince: iso(10 * minute), offlineReason: 'disappeared', generations: []}),
	];
	const jobs = [track({status: 'running', startedAgo: minute, label: 'whatever', repository: '/mnt/RDX-B/sedai', last: progressAt(100)})];
	const view = buildMonitorView(input({jobs, cartridges}), unicodeSymbols);
	t.deepEqual(view.cartridges.map(row => row.label), ['RDX-B', 'RDX-A', 'NAS', 'RDX-C']);
	t.like(view.cartridges[0], {state: '▶ backup', stateTone: 'accent', newest: '3 h', newestTone: 'normal', generations: '2'});
	t.like(view.cartridges[1], {state: '● online', note: '! 1 SUSPECT', noteTone: 'bad'});
	t.like(view.cartridges[2], {state: '○ missing 10 min', stateTone: 'warn', newest: 'none', newestTone: 'warn'});
	t.like(view.cartridges[3], {state: '○ offline 3 days', newest: '3 h'});
	// The newest generation counts, not the highest in the list order; two days without one is a warning.
	t.like(buildMonitorView(input({cartridges: [cartridge('OLD', {generations: [{id: 'o', shortId: 'o', seq: 1, time: iso(3 * 24 * 60 * minute), files: 1, bytes: 1, newBytes: 1, storedBytes: 1, suspect: false}]})]}), unicodeSymbols).cartridges[0], {newest: '3 days', newestTone: 'warn'});
	t.is(buildMonitorView(input({}), unicodeSymbols).noCartridges, 'No cartridge known yet: `sedai drives` or a backup records them.');
	t.is(buildMonitorView(input({stateProblem: 'state.json is broken'}), unicodeSymbols).noCartridges, 'state.json is broken');
});

test('checks: the newest full verification (not a structure check) and the newest drill with its RTO as a clock', t => {
	const verifications: VerificationRecord[] = [
		{repositoryId: 'a', label: 'RDX-A', level: 'full', ok: true, time: iso(9 * 24 * 60 * minute), durationMs: 1000, problems: 0, bytesRead: 1},
		{repositoryId: 'b', label: 'RDX-B', level: 'full', ok: false, time: iso(2 * 24 * 60 * minute), durationMs: 252_000, problems: 3, bytesRead: 12 * 1024 * mib},
		{repositoryId: 'a', label: 'RDX-A', level: 'structure', ok: true, time: iso(minute), durationMs: 1000, problems: 0, bytesRead: 0},
	];
	const drills: DrillRecord[] = [
		{repositoryId: 'a', label: 'RDX-A', generation: 'aabbccddeeff', generationTime: iso(0), time: iso(40 * 24 * 60 * minute), ok: true, files: 1, bytes: 1, restoreMs: 1000, verifyMs: 1000, into: '/tmp', mismatches: 0},
		{repositoryId: 'b', label: 'RDX-B', generation: '0011223344', generationTime: iso(0), time: iso(20 * 24 * 60 * minute), ok: true, files: 20_000, bytes: 1, restoreMs: 201_400, verifyMs: 45_000, into: '/tmp', mismatches: 0},
	];
	const {checks} = buildMonitorView(input({verifications, drills}), unicodeSymbols);
	const text = checks.lines.map(({line}) => lineText(line));
	t.is(text[1], '✗ DAMAGE (3)  RDX-B  2 days ago');
	t.regex(text[2], /12\.0 GiB re-read in 4:12$/);
	t.is(text[4], '✓ OK  RDX-B  20 days ago');
	t.is(text[5], '  all 20,000 files match; restore 3:21 + verify 45.0 s');
	t.is(checks.rto, '3:21');
	t.true(checks.rtoOk);
	const none = buildMonitorView(input({}), unicodeSymbols).checks;
	t.is(none.rto, undefined);
	t.deepEqual(none.lines.filter(({detail}) => !detail).map(({line}) => lineText(line)), ['Last full verification', '! none recorded', 'Last restore drill', '! none recorded']);
});
