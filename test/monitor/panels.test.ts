import test from 'ava';
import {bigText, clockDuration} from '../../source/monitor/big-digits.js';
import {fitTable, type Column} from '../../source/monitor/columns.js';
import {jobLines} from '../../source/monitor/job-text.js';
import {layoutFor, type Rect} from '../../source/monitor/layout.js';
import {cartridgesText, chartLabel, checksText, jobsText, logRows, tooSmallText} from '../../source/monitor/panel-text.js';
import {cellWidth, lineText, toMarkup} from '../../source/monitor/segments.js';
import {textChart} from '../../source/monitor/text-chart.js';
import {buildMonitorView} from '../../source/monitor/view-model.js';
import type {DrillRecord} from '../../source/settings/state.js';
import {asciiSymbols, unicodeSymbols} from '../../source/text/symbols.js';
import {iso, now, progressAt, track} from './tracks.js';

const overlaps = (a: Rect, b: Rect) => a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

for (const [columns, rows, kind] of [[80, 24, 'compact'], [100, 30, 'compact'], [200, 50, 'wide'], [120, 36, 'wide']] as const) {
	test(`layout at ${columns}×${rows} is ${kind}: panels inside the screen, between header and footer, never overlapping`, t => {
		const layout = layoutFor(columns, rows);
		t.is(layout.kind, kind);
		const panels = layout.kind === 'too-small' ? [] : Object.values(layout.panels);
		t.is(panels.length, 5);
		for (const rect of panels) {
			t.true(rect.top >= 1 && rect.left >= 0 && rect.left + rect.width <= columns && rect.top + rect.height <= rows - 1, `${JSON.stringify(rect)}`);
			t.true(rect.height >= 5 && rect.width >= 30, `${JSON.stringify(rect)}`);
		}

		for (const [index, a] of panels.entries()) {
			for (const b of panels.slice(index + 1)) {
				t.false(overlaps(a, b), `${JSON.stringify(a)} ${JSON.stringify(b)}`);
			}
		}

		// Every cell between header and footer belongs to a panel.
		t.is(panels.reduce((sum, rect) => sum + (rect.width * rect.height), 0), columns * (rows - 2));
	});
}

test('below 80×24 the layout asks for a bigger terminal, in words', t => {
	t.deepEqual(layoutFor(79, 40), {kind: 'too-small', need: {columns: 80, rows: 24}});
	t.is(layoutFor(200, 23).kind, 'too-small');
	t.deepEqual(tooSmallText(70, 20, {columns: 80, rows: 24}, false), ['Terminal too small: sedai monitor needs 80x24, this one is 70x20.', 'Enlarge the window (or the tmux pane), or press q to quit.']);
});

test('a running job fits its two lines to the width, keeping the end of a Japanese path and the rate and ETA', t => {
	const view = buildMonitorView({now, jobs: [track({status: 'running', kind: 'restore', detail: 'latest into /var/tmp/sedai-restore/drill-2026-02-01', startedAgo: 9000, last: progressAt(200)})], cartridges: [], verifications: [], drills: []}, unicodeSymbols);
	for (const width of [78, 116, 140]) {
		const [first, second] = jobLines(view.jobs[0], width, unicodeSymbols);
		t.true(cellWidth(lineText(first)) <= width, `${lineText(first)}`);
		t.true(cellWidth(lineText(second)) <= width, `${lineText(second)}`);
		t.true(lineText(first).startsWith('▶ running     restore RDX-A'));
		t.true(lineText(first).endsWith('25%  80.0 MiB/s  ETA 19.0 s'), `${lineText(first)}`);
		t.regex(lineText(second), /^ {3}read · 512 MiB\/2\.0 GiB · 120\/480 files · /);
	}

	const [wide, path] = jobLines(view.jobs[0], 140, unicodeSymbols);
	t.true(lineText(wide).includes('restore RDX-A latest into /var/tmp/sedai-restore/drill-2026-02-01'));
	t.true(lineText(path).endsWith('patients/2026/山田太郎/レントゲン画像_0001.dcm'));
	const ascii = buildMonitorView({now, jobs: [track({status: 'running', kind: 'restore', detail: 'latest into /var/tmp/sedai-restore/drill-2026-02-01', startedAgo: 9000, last: progressAt(200)})], cartridges: [], verifications: [], drills: []}, asciiSymbols);
	const [narrow, cut] = jobLines(ascii.jobs[0], 78, asciiSymbols);
	t.is(lineText(narrow), '> running     restore RDX-A latest i~  ###.......  25%  80.0 MiB/s  ETA 19.0 s');
	t.regex(lineText(cut), /files - ~\/山田太郎\/レントゲン画像_0001\.dcm$/);
	// Bars are exactly the remaining room: the first line is full width.
	t.is(cellWidth(lineText(narrow)), 78);
});

test('with no job the jobs panel says how jobs get there', t => {
	const view = buildMonitorView({now, jobs: [], cartridges: [], verifications: [], drills: []}, unicodeSymbols);
	const lines = jobsText(view, 40, unicodeSymbols).map(line => lineText(line));
	t.true(lines.every(line => cellWidth(line) <= 40));
	t.regex(lines.join(' '), /No Sedai job is running on this machine\. Jobs started with `sedai backup`/);
});

type Row = {name: string; state: string; count: string; note: string};
const columns: Array<Column<Row>> = [
	{title: 'Name', cell: row => ({text: row.name}), priority: 9, flex: true, min: 6},
	{title: 'State', cell: row => ({text: row.state}), priority: 8},
	{title: 'Count', cell: row => ({text: row.count}), priority: 5, align: 'right'},
	{title: 'Note', cell: row => ({text: row.note}), priority: 2, flex: true},
];

test('a table fits its width: CJK labels stay aligned, flexible columns shrink, the least important go first', t => {
	const rows: Row[] = [
		{name: '受付カートリッジ', state: '▶ backup', count: '12', note: 'SUSPECT'},
		{name: 'RDX-B', state: '● online', count: '3', note: ''},
	];
	const wide = fitTable(columns, rows, 60, '…');
	t.deepEqual([wide.header, ...wide.rows].map(line => lineText(line)), [
		'Name              State     Count  Note   ',
		'受付カートリッジ  ▶ backup     12  SUSPECT',
		'RDX-B             ● online      3         ',
	]);
	// Tight: single spaces between columns, then flexible columns shrink …
	const narrow = fitTable(columns, rows, 28, '…');
	t.deepEqual([narrow.header, ...narrow.rows].map(line => lineText(line)), [
		'Name   State    Count Note  ',
		'受付…  ▶ backup    12 SUSPE…',
		'RDX-B  ● online     3       ',
	]);
	// … and then the least important column goes.
	const narrower = fitTable(columns, rows, 24, '…');
	const text = [narrower.header, ...narrower.rows].map(line => lineText(line));
	t.deepEqual(text.map(line => cellWidth(line)), [24, 24, 24]);
	t.deepEqual(text, ['Name      State    Count', '受付カー… ▶ backup    12', 'RDX-B     ● online     3']);
	// A column nobody fills is not shown at all.
	const empty = fitTable(columns, [{name: 'A', state: 'x', count: '1', note: ''}], 60, '…');
	t.false(lineText(empty.header).includes('Note'));
});

test('the cartridge panel is a table with a header row', t => {
	const view = buildMonitorView({now, jobs: [], verifications: [], drills: [], cartridges: [{id: '1', label: 'RDX-A', encrypted: true, firstSeen: iso(0), lastSeen: iso(60_000), generations: []}]}, asciiSymbols);
	const lines = cartridgesText(view, 44, asciiSymbols).map(line => lineText(line));
	t.is(lines.length, 2);
	t.regex(lines[0], /^Cartridge {2}State {4}/);
	t.is(lines[1], 'RDX-A      * online  none       0');
});

test('big digits: seven-segment ASCII and half-block Unicode, three rows each', t => {
	t.deepEqual(bigText('3:21', false), [
		' _     _     ',
		' _| .  _|   |',
		' _| . |_    |',
	]);
	t.deepEqual(bigText('0123456789', false), [
		' _       _   _       _   _   _   _   _ ',
		'| |   |  _|  _| |_| |_  |_    | |_| |_|',
		'|_|   | |_   _|   |  _| |_|   | |_|  _|',
	]);
	const unicode = bigText('10', true);
	t.deepEqual(unicode, ['▀█  █▀█', ' █  █ █', '▀▀▀ ▀▀▀']);
	t.is(clockDuration(201_400), '3:21');
	t.is(clockDuration(19_000), '0:19');
	t.is(clockDuration(3_723_000), '1:02:03');
});

test('the checks panel shows the RTO in large type when it fits, else as words', t => {
	const drills: DrillRecord[] = [{repositoryId: 'a', label: 'RDX-A', generation: 'aabbccdd', generationTime: iso(0), time: iso(60_000), ok: true, files: 10, bytes: 1, restoreMs: 201_400, verifyMs: 1000, into: '/tmp', mismatches: 0}];
	const {checks} = buildMonitorView({now, jobs: [], cartridges: [], verifications: [], drills}, asciiSymbols);
	const roomy = checksText(checks, 60, 12, asciiSymbols, false).map(line => lineText(line));
	t.is(roomy.length, 4 + 3 + 3);
	t.is(roomy.at(-2), 'RTO  _| .  _|   |');
	const tight = checksText(checks, 34, 5, asciiSymbols, false).map(line => lineText(line));
	t.deepEqual(tight, ['Last full verification', '! none recorded', 'Last restore drill', '+ OK  RDX-A  1 min ago', 'RTO 3:21 (last drill)']);
});

test('a text chart: columns as tall as their share of the peak, the peak on the axis, labels underneath', t => {
	const values = [0, 0, 5, 10, 2.5, 0];
	const labels = ['-5m', '', '', '', '', 'now'];
	const ascii = textChart(values, labels, 16, 5, false);
	t.deepEqual(ascii, [
		'10 |      ##    ',
		'   |      ##    ',
		'   |    ####    ',
		' 0 |    ######  ',
		'   +-5m      now',
	]);
	const unicode = textChart(values, labels, 16, 5, true);
	t.is(unicode.length, 5);
	t.is(unicode[3], ' 0 │    ██████  ');
	t.true(unicode.every(row => cellWidth(row) === 16));
	// Nothing yet: an empty chart, not a crash.
	t.is(textChart(Array.from({length: 61}, () => 0), [], 30, 4, true).length, 4);
});

test('the chart label shortens to fit its border', t => {
	const view = buildMonitorView({now, jobs: [track({status: 'running', startedAgo: 7000, last: progressAt(300), samples: [{ago: 1000, rate: 80 * 1024 * 1024}]})], cartridges: [], verifications: [], drills: []}, unicodeSymbols);
	t.is(chartLabel(view.throughput, 80, unicodeSymbols), ' Throughput (MiB/s) · now 80.0 MiB/s · peak 80.0 MiB/s ');
	t.is(chartLabel(view.throughput, 44, unicodeSymbols), ' Throughput (MiB/s) · now 80.0 MiB/s ');
	t.is(chartLabel(view.throughput, 28, unicodeSymbols), ' MiB/s · now 80.0 MiB/s ');
	t.is(chartLabel(view.throughput, 20, unicodeSymbols), ' MiB/s ');
});

test('log rows wrap under the text, after the time and glyph', t => {
	const rows = logRows([{key: 'k', time: now, glyph: '!', tone: 'warn', text: 'backup RDX-A: Cannot read /srv/ehr/very/long/path/locked.db'}], 40).map(line => lineText(line));
	t.true(rows.length > 1);
	t.regex(rows[0], /^\d\d:\d\d:\d\d ! backup RDX-A: Cannot read$/);
	t.true(rows.slice(1).every(row => row.startsWith(' '.repeat(11)) && cellWidth(row) <= 40));
	// Nothing lost in the wrapping.
	t.is(rows.map(row => row.trim()).join('').replace(/^\S+ ! /, '').replaceAll(' ', ''), 'backupRDX-A:Cannotread/srv/ehr/very/long/path/locked.db');
});

test('markup: colours only when allowed, bold always, and braces in file names never become tags', t => {
	const line = [{text: 'ok ', tone: 'ok' as const, bold: true}, {text: '{red-fg}name{/red-fg}.txt', tone: 'muted' as const}];
	t.is(toMarkup(line, true), '{bold}{green-fg}ok {/green-fg}{/bold}{gray-fg}{open}red-fg{close}name{open}/red-fg{close}.txt{/gray-fg}');
	t.is(toMarkup(line, false), '{bold}ok {/bold}{open}red-fg{close}name{open}/red-fg{close}.txt');
});

test('a phase without figures shows what the job is doing, not the figures of an earlier phase', t => {
	const running = track({kind: 'verify', detail: 'full', status: 'running', startedAgo: 5000, last: progressAt(3000, {phase: 'open'}), log: [{type: 'phase', t: iso(2000), phase: 'check', message: 'Checking index, generations and seal chain'}]});
	running.phase = 'check';
	running.activity = 'Checking index, generations and seal chain';
	const view = buildMonitorView({now, jobs: [running], cartridges: [], verifications: [], drills: []}, unicodeSymbols);
	t.like(view.jobs[0], {phase: 'check', bytes: '', files: '', rate: '', percent: '  ?%'});
	const [first, second] = jobLines(view.jobs[0], 100, unicodeSymbols).map(line => lineText(line));
	t.regex(first, /^▶ running {5}verify RDX-A full {2}░+ {3}\?%$/);
	t.is(second, '   Checking index, generations and seal chain');
});
