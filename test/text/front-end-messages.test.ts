import test from 'ava';
import type {Phase} from '../../source/core/jobs/events.js';
import {checksView} from '../../source/monitor/checks.js';
import {lineText} from '../../source/monitor/segments.js';
import type {DrillRecord, VerificationRecord} from '../../source/settings/state.js';
import {phaseText} from '../../source/text/messages/phase-text.js';
import {unicodeSymbols} from '../../source/text/symbols.js';

/** Front-end text drawn from the message catalog: the monitor's checks panel, phase lines. */
const now = Date.parse('2026-02-05T09:00:00Z');
const verification: VerificationRecord = {repositoryId: 'b', label: 'RDX-B', level: 'full', ok: false, time: '2026-02-03T09:00:00Z', durationMs: 252_000, problems: 3, bytesRead: 12 * 1024 * 1024 * 1024};
const drill: DrillRecord = {repositoryId: 'b', label: 'RDX-B', generation: '0011223344', generationTime: '2026-01-01T00:00:00Z', time: '2026-01-16T09:00:00Z', ok: true, files: 20_000, bytes: 1, restoreMs: 201_400, verifyMs: 45_000, into: '/tmp', mismatches: 0};

test('the monitor\'s checks panel speaks Japanese when asked, English by default', t => {
	const ja = checksView([verification], [drill], now, unicodeSymbols, 'ja').lines.map(({line}) => lineText(line));
	t.is(ja[0], '最後の完全検証');
	t.regex(ja[1], /^✗ 損傷 \(3 件\) {2}RDX-B/);
	t.regex(ja[2], /12\.0 GiB を 4:12 で再読込$/);
	t.is(ja[3], '最後の復元訓練');
	t.is(ja[5], '  20,000 ファイルすべて一致。復元 3:21 + 検証 45.0 s');
	const none = checksView([], [], now, unicodeSymbols, 'ja').lines.map(({line}) => lineText(line));
	t.deepEqual(none, ['最後の完全検証', `${unicodeSymbols.warn} 記録なし`, '  実行: sedai verify --full', '最後の復元訓練', `${unicodeSymbols.warn} 記録なし`, '  実行: sedai restore latest --into DIR']);
	const en = checksView([verification], [drill], now, unicodeSymbols).lines.map(({line}) => lineText(line));
	t.is(en[5], '  all 20,000 files match; restore 3:21 + verify 45.0 s');
});

test('phase lines: English keeps the engine\'s sentence, Japanese names the phase and keeps it as detail', t => {
	const phases: Phase[] = ['open', 'scan', 'read', 'write', 'seal', 'check', 'restore', 'verify', 'prune', 'protect'];
	for (const phase of phases) {
		t.is(phaseText({phase, message: 'Sealing the generation'}, 'en'), 'Sealing the generation');
		t.regex(phaseText({phase, message: 'Sealing the generation'}, 'ja'), /^[^\sa-z.]+[^.]* \(Sealing the generation\)$/, phase);
	}

	t.is(phaseText({phase: 'seal', message: ''}, 'ja'), '世代を封印しています');
});
