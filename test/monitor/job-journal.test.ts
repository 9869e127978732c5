import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {journalSuffix, processStartTicks, rotateJournals, startJournal, type JournalRecord} from '../../source/settings/job-journal.js';
import {JournalReader} from '../../source/settings/job-journal-reader.js';
import type {ProgressEvent} from '../../source/core/jobs/events.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

function scratch(t: {teardown: (fn: () => void) => void}): string {
	const directory = temporaryDirectory('sedai-journal-');
	t.teardown(() => {
		removeTree(directory);
	});
	return directory;
}

function records(file: string): JournalRecord[] {
	return fs.readFileSync(file, 'utf8').trim().split('\n').map(line => JSON.parse(line) as JournalRecord);
}

const progress = (bytesDone: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
	type: 'progress', job: 'backup', phase: 'read', bytesDone, bytesTotal: 1000, filesDone: 1, filesTotal: 10, currentPath: 'patients/山田.pdf', rate: 100, elapsedMs: 0, etaMs: 5000, ...extra,
});

/** A clock the test moves by hand. */
function clock(start = Date.parse('2026-02-01T09:00:00.000Z')) {
	let now = start;
	return {now: () => new Date(now), advance(ms: number) {
		now += ms;
	}};
}

test('a journal holds start, throttled progress (the last one always kept), phases, warnings, notes and the end, and reads back as a finished job', t => {
	const directory = scratch(t);
	const time = clock();
	const journal = startJournal({kind: 'backup', label: 'RDX-A', repository: '/mnt/rdx/sedai'}, {directory, now: time.now});
	t.truthy(journal.file);
	t.regex(path.basename(journal.file!), new RegExp(String.raw`^2026-02-01T09-00-00\.000Z-${process.pid}-backup\.jsonl$`));
	journal.event({type: 'phase', phase: 'scan', message: 'Scanning /srv/ehr'});
	// Ten progress events 100 ms apart: only those 500 ms apart are written …
	for (let index = 0; index < 10; index++) {
		journal.event(progress(index * 100));
		time.advance(100);
	}

	journal.event({type: 'warning', code: 'source-unreadable', message: 'Cannot read locked.db', path: 'locked.db'});
	journal.note('Sealed generation abcd1234 (#3)');
	time.advance(1000);
	journal.end({ok: true, exitCode: 0, summary: {shortId: 'abcd1234', seq: 3, files: 10, bytes: 1000}});
	// … and nothing after the end.
	journal.event(progress(5000));

	const lines = records(journal.file!);
	t.deepEqual(lines.map(line => line.type), ['start', 'phase', 'progress', 'progress', 'progress', 'warning', 'note', 'end']);
	const start = lines[0];
	t.like(start, {type: 'start', version: 1, kind: 'backup', label: 'RDX-A', repository: '/mnt/rdx/sedai', pid: process.pid, time: '2026-02-01T09:00:00.000Z'});
	t.is(start.type === 'start' && start.procStart, processStartTicks('self'));
	// Progress at 0 and 500 ms, then the pending one (900) flushed before the warning.
	t.deepEqual(lines.filter(line => line.type === 'progress').map(line => line.type === 'progress' && line.bytesDone), [0, 500, 900]);
	const end = lines.at(-1)!;
	t.like(end, {type: 'end', ok: true, exitCode: 0, durationMs: 2000});

	const [track] = new JournalReader(directory).poll();
	t.is(track?.status, 'done');
	t.is(track?.last?.bytesDone, 900);
	t.is(track?.phase, 'read');
	t.is(track?.warnings, 1);
	t.deepEqual(track?.log.map(entry => entry.record.type), ['phase', 'warning', 'note', 'end']);
	t.is(track?.samples.length, 3);
});

test('phases and the end carry the CPU time the process has spent since the journal started', t => {
	const directory = scratch(t);
	const journal = startJournal({kind: 'backup', label: 'RDX-A'}, {directory});
	journal.event({type: 'phase', phase: 'scan', message: 'Scanning'});
	// Work until the process has used at least 50 ms more CPU (waits for the counter, not a clock).
	const before = process.cpuUsage();
	let spun = 0;
	while (process.cpuUsage(before).user + process.cpuUsage(before).system < 50_000) {
		spun += Math.sqrt(spun + 1);
	}

	journal.end({ok: true, exitCode: 0});
	const lines = records(journal.file!);
	const phase = lines.find(line => line.type === 'phase');
	const end = lines.at(-1);
	t.true(spun > 0);
	t.true(phase?.type === 'phase' && typeof phase.cpuMs === 'number');
	t.true(end?.type === 'end' && phase?.type === 'phase' && end.cpuMs! >= phase.cpuMs! + 50, JSON.stringify({phase, end}));
});

test('warnings beyond the cap are counted in the end record, not written', t => {
	const directory = scratch(t);
	const journal = startJournal({kind: 'verify', label: 'RDX-B'}, {directory, maxLogRecords: 3});
	for (let index = 0; index < 7; index++) {
		journal.event({type: 'warning', code: 'x', message: `warning ${index}`});
	}

	journal.end({ok: false, exitCode: 3});
	const lines = records(journal.file!);
	t.is(lines.filter(line => line.type === 'warning').length, 3);
	t.like(lines.at(-1), {type: 'end', ok: false, exitCode: 3, suppressed: 4});
	t.is(new JournalReader(directory).poll()[0]?.status, 'failed');
});

test('a cancelled job reads as cancelled; an unserializable summary still gives an end record', t => {
	const directory = scratch(t);
	const journal = startJournal({kind: 'restore', label: 'RDX-C'}, {directory});
	const circular: Record<string, unknown> = {};
	circular['self'] = circular;
	journal.end({ok: false, exitCode: 1, summary: circular, error: {code: 'cancelled', message: 'Cancelled.'}});
	const end = records(journal.file!).at(-1);
	t.like(end, {type: 'end', ok: false, exitCode: 1, error: {code: 'cancelled'}});
	t.false(end !== undefined && 'summary' in end);
	t.is(new JournalReader(directory).poll()[0]?.status, 'cancelled');
});

test('starting a journal keeps only the newest 50 (the new one included)', t => {
	const directory = scratch(t);
	const old = Array.from({length: 55}, (_, index) => `2025-01-01T00-00-${String(index).padStart(2, '0')}.000Z-1-backup${journalSuffix}`);
	for (const name of old) {
		fs.writeFileSync(path.join(directory, name), '');
	}

	fs.writeFileSync(path.join(directory, 'notes.txt'), 'not a journal');
	const journal = startJournal({kind: 'prune', label: 'RDX-A'}, {directory});
	const left = fs.readdirSync(directory).filter(name => name.endsWith(journalSuffix)).sort();
	t.is(left.length, 50);
	t.is(left.at(-1), path.basename(journal.file!));
	// The six oldest went; the rest stayed.
	t.deepEqual(left.slice(0, 49), old.slice(6));
	t.true(fs.existsSync(path.join(directory, 'notes.txt')));
	rotateJournals(directory, 10);
	t.is(fs.readdirSync(directory).filter(name => name.endsWith(journalSuffix)).length, 9);
});

test('journaling that cannot start never fails the job: all calls are no-ops', t => {
	const directory = scratch(t);
	const blocker = path.join(directory, 'jobs');
	fs.writeFileSync(blocker, 'a file where the folder should be');
	const journal = startJournal({kind: 'backup', label: 'RDX-A'}, {directory: blocker});
	t.is(journal.file, undefined);
	t.notThrows(() => {
		journal.event(progress(1));
		journal.note('x');
		journal.end({ok: true});
	});
});

test('the reader reads only what was appended, including a line split mid-character', t => {
	const directory = scratch(t);
	const file = path.join(directory, `2026-02-01T09-00-00.000Z-${process.pid}-backup${journalSuffix}`);
	const start = `${JSON.stringify({type: 'start', version: 1, kind: 'backup', label: 'RDX-A', pid: process.pid, procStart: processStartTicks('self'), host: 'elsewhere', time: new Date().toISOString()})}\n`;
	const phase = Buffer.from(`${JSON.stringify({type: 'phase', t: new Date().toISOString(), phase: 'scan', message: '患者フォルダを走査'})}\n`);
	fs.writeFileSync(file, start);
	const reader = new JournalReader(directory);
	t.is(reader.poll()[0]?.log.length, 0);
	// Cut inside a three-byte character.
	const cut = phase.indexOf(Buffer.from('患')) + 1;
	fs.appendFileSync(file, phase.subarray(0, cut));
	t.is(reader.poll()[0]?.log.length, 0);
	fs.appendFileSync(file, phase.subarray(cut));
	const [track] = reader.poll();
	t.is(track?.log.length, 1);
	t.is(track?.log[0]?.record.type === 'phase' && track.log[0].record.message, '患者フォルダを走査');
	t.is(track?.log[0]?.key, `${path.basename(file)}#2`);
	// A garbled line is skipped, the next one still counts.
	fs.appendFileSync(file, `{not json\n${JSON.stringify({type: 'note', t: new Date().toISOString(), message: 'after'})}\n`);
	t.deepEqual(reader.poll()[0]?.log.map(entry => entry.record.type), ['phase', 'note']);
	// A journal deleted by rotation disappears.
	fs.unlinkSync(file);
	t.deepEqual(reader.poll(), []);
});

const journalModule = fileURLToPath(new URL('../../source/settings/job-journal.ts', import.meta.url));

test('a job whose process is gone without an end record is interrupted; while it lives it is running', async t => {
	const directory = scratch(t);
	// A real process writes a journal, reports progress and then hangs until killed.
	const script = String.raw`import {startJournal} from ${JSON.stringify(journalModule)};
const journal = startJournal({kind: 'backup', label: 'RDX-K'}, {directory: ${JSON.stringify(directory)}});
journal.event({type: 'progress', job: 'backup', phase: 'read', bytesDone: 10, bytesTotal: 100, filesDone: 1, filesTotal: 2, rate: 5, elapsedMs: 1, etaMs: 1, currentPath: 'a'});
journal.event({type: 'phase', job: 'backup', phase: 'write', message: 'Writing'});
process.stdout.write('ready\n');
setInterval(() => {}, 1000);`;
	const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
	t.teardown(() => child.kill('SIGKILL'));
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (data: Buffer) => {
			if (data.toString().includes('ready')) {
				resolve();
			}
		});
		child.on('exit', code => {
			reject(new Error(`child exited early (${code})`));
		});
	});
	const reader = new JournalReader(directory);
	const [running] = reader.poll();
	t.is(running?.status, 'running');
	t.is(running?.start.pid, child.pid!);
	t.is(running?.phase, 'write');
	const exited = new Promise(resolve => {
		child.once('exit', resolve);
	});
	child.kill('SIGKILL');
	await exited;
	t.is(reader.poll()[0]?.status, 'interrupted');
});

test('a reused pid is not mistaken for the job: the process start time must match too', t => {
	const directory = scratch(t);
	// Our own (live) pid, but a start time from another process's life.
	const file = path.join(directory, `2026-02-01T09-00-00.000Z-${process.pid}-verify${journalSuffix}`);
	const start = {type: 'start', version: 1, kind: 'verify', label: 'RDX-A', pid: process.pid, procStart: '1', host: os.hostname(), time: new Date().toISOString()};
	fs.writeFileSync(file, `${JSON.stringify(start)}\n`);
	t.is(new JournalReader(directory).poll()[0]?.status, 'interrupted');
	fs.writeFileSync(file, `${JSON.stringify({...start, procStart: processStartTicks('self')})}\n`);
	t.is(new JournalReader(directory).poll()[0]?.status, 'running');
});
