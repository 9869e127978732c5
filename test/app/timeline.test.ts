import test from 'ava';
import {buildTimeline} from '../../source/app/timeline.js';
import type {TargetStatus} from '../../source/app/catalog.js';
import type {DrillRecord, GenerationSummary, VerificationRecord} from '../../source/settings/state.js';

/** Fixed times: the timeline compares them, it never reads the clock. */
const generation = (seq: number, time: string): GenerationSummary => ({id: `g${seq}`, shortId: `g${seq}`, seq, time, files: 1, bytes: 1, newBytes: 1, storedBytes: 1, suspect: false});

const target: TargetStatus = {
	name: 'RDX-A',
	kind: 'cartridge',
	label: 'RDX-A',
	configured: true,
	online: true,
	writeProtected: false,
	record: {id: 'repo-a', label: 'RDX-A', encrypted: true, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-05T00:00:00Z', generations: [generation(1, '2026-01-01T00:00:00Z'), generation(2, '2026-01-03T00:00:00Z'), generation(3, '2026-01-04T00:00:00Z')]},
};

const check: VerificationRecord = {repositoryId: 'repo-a', label: 'RDX-A', level: 'full', ok: true, time: '2026-01-03T12:00:00Z', durationMs: 1, problems: 0, bytesRead: 1};

const restore = (generationId: string, time: string, ok: boolean, repositoryId = 'repo-a'): DrillRecord => ({repositoryId, label: 'RDX-A', generation: generationId, generationTime: '', time, ok, files: 1, bytes: 1, restoreMs: 1, verifyMs: 1, into: '/tmp/x', mismatches: ok ? 0 : 1});

test('a generation shows its newest evidence: a check of its medium since it was sealed, or a test restore of that very generation', t => {
	const rows = buildTimeline([target], [check], undefined, [
		restore('g3', '2026-01-05T00:00:00Z', true),
		restore('g1', '2026-01-04T00:00:00Z', false),
		restore('g2', '2026-01-02T00:00:00Z', true),
		// The same generation id on another medium vouches for nothing here.
		restore('g3', '2026-01-06T00:00:00Z', false, 'repo-b'),
	]);
	const verified = Object.fromEntries(rows.map(row => [row.generation.id, row.verified]));
	t.deepEqual(verified['g3'], {time: '2026-01-05T00:00:00Z', level: 'restore', ok: true}, 'sealed after the check: only its test restore speaks for it');
	t.deepEqual(verified['g1'], {time: '2026-01-04T00:00:00Z', level: 'restore', ok: false}, 'a failed test restore after a good check shows the failure');
	t.deepEqual(verified['g2'], {time: '2026-01-03T12:00:00Z', level: 'full', ok: true}, 'a check newer than its test restore');
	t.is(buildTimeline([target], [], undefined, []).find(row => row.generation.id === 'g3')!.verified, undefined, 'no evidence, nothing shown');
});
