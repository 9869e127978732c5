import test from 'ava';
import type {Job} from '../../source/app/job-queue.js';
import {eventVersion, type OperationProgress} from '../../source/app/operations/events.js';
import {jobDetail, jobHeadline} from '../../source/ui/components/job-lines.js';
import {translator} from '../../source/ui/i18n/i18n.js';
import {unicodeSymbols} from '../../source/text/symbols.js';
import {textWidth} from '../../source/text/format.js';

/** A running job's two lines as text, for a given progress report. */
const t = translator('en');

function lines(kind: Job['kind'], progress: Partial<OperationProgress>, width = 80): [string, string] {
	const full: OperationProgress = {version: eventVersion, jobId: 'j1', kind, type: 'progress', phase: 'read', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, currentPath: undefined, rate: 0, elapsedMs: 0, etaMs: undefined, ...progress};
	const job: Job = {id: 1, kind, label: 'RDX-A', state: 'running', phase: 'Reading the manifest', progress: full, warnings: [], queuedAt: 0};
	const text = (segments: Array<{text: string}>) => segments.map(segment => segment.text).join('');
	return [text(jobHeadline(job, width, t, unicodeSymbols)), text(jobDetail(job, width, t, unicodeSymbols))];
}

test('before anything is counted (a restore opening): the phase, never "?%" or "0/0 files"', t => {
	const [headline, detail] = lines('restore', {phase: 'open'});
	t.regex(headline, /opening…/);
	t.notRegex(headline + detail, /\?%|0\/0/);
	t.regex(detail, /Reading the manifest/);
});

test('while sealing: "sealing…" in place of an ETA', t => {
	const [headline] = lines('backup', {phase: 'seal', bytesDone: 100, bytesTotal: 100, filesDone: 3, filesTotal: 3, rate: 10, etaMs: 0});
	t.regex(headline, /100%.*sealing…/);
	t.notRegex(headline, /ETA/);
});

test('the ETA as the smoother gives it, and "< 1 s" at the very end instead of "0 ms"', t => {
	t.regex(lines('backup', {bytesDone: 50, bytesTotal: 100, filesTotal: 2, etaMs: 17_000})[0], /50%.*ETA 17\.0 s/);
	t.regex(lines('backup', {bytesDone: 99, bytesTotal: 100, filesTotal: 2, etaMs: 300})[0], /ETA < 1 s/);
	t.notRegex(lines('backup', {bytesDone: 1, bytesTotal: 100, filesTotal: 2})[0], /ETA/, 'no estimate yet: none shown');
});

test('the bar keeps its width while the rate and ETA appear and change, and the ETA is never cut', t => {
	const ticks: Array<Partial<OperationProgress>> = [
		{bytesDone: 1, bytesTotal: 1000, filesTotal: 9},
		{bytesDone: 200, bytesTotal: 1000, filesTotal: 9, rate: 14 * 1024 * 1024},
		{bytesDone: 300, bytesTotal: 1000, filesTotal: 9, rate: 54.8 * 1024 * 1024, etaMs: 378_000},
		{bytesDone: 999, bytesTotal: 1000, filesTotal: 9, rate: 312.5 * 1024 * 1024, etaMs: 300},
		{phase: 'seal', bytesDone: 1000, bytesTotal: 1000, filesDone: 9, filesTotal: 9, rate: 10, etaMs: 0},
	];
	for (const width of [63, 80, 130]) {
		const headlines = ticks.map(tick => lines('restore', tick, width)[0]);
		const bars = headlines.map(headline => /[█░]+/u.exec(headline)?.[0].length);
		t.true(bars.every(bar => bar !== undefined && bar === bars[0]), `width ${width}: bars ${bars.join(', ')}`);
		t.true(headlines.every(headline => textWidth(headline.trimEnd()) <= width), `width ${width}: within the line`);
		t.regex(headlines[2], /ETA 6:18/);
		// The rate is on one of the two lines whatever the width.
		t.regex(lines('restore', ticks[2], width).join('\n'), /54\.8 MiB\/s/);
	}
});

test('a running job with no phase yet (its medium being opened) says "starting…"; the Japanese UI says the phase in Japanese', t => {
	const text = (segments: Array<{text: string}>) => segments.map(segment => segment.text).join('');
	const opening: Job = {id: 2, kind: 'restore', label: 'NAS', state: 'running', warnings: [], queuedAt: 0};
	t.regex(text(jobHeadline(opening, 80, translator('en'), unicodeSymbols)), /restore NAS {2}starting…$/);
	t.is(text(jobDetail(opening, 80, translator('en'), unicodeSymbols)).trim(), '', 'said once, in the headline');
	t.regex(text(jobHeadline(opening, 80, translator('ja'), unicodeSymbols, 'ja')), /開始しています…$/);
	const reading: Job = {...opening, phase: 'Reading the generation', phaseId: 'open'};
	t.regex(text(jobHeadline(reading, 80, translator('en'), unicodeSymbols)), /Reading the generation$/);
	t.regex(text(jobHeadline(reading, 80, translator('ja'), unicodeSymbols, 'ja')), /開いています…$/);
	t.notRegex(text(jobHeadline(reading, 80, translator('ja'), unicodeSymbols, 'ja')), /Reading/);
});
