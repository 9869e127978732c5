import type {DrillReport} from '../../source/report/drill-report.js';

/** A failed drill with every part of the report filled in, for the renderer tests. */
export function fixtureReport(): DrillReport {
	return {
		version: 1,
		language: 'ja',
		site: 'さくら内科クリニック',
		startedAt: '2026-12-01T01:00:00.000Z',
		finishedAt: '2026-12-01T01:07:41.000Z',
		timeZone: 'Asia/Tokyo',
		operator: '山田 太郎',
		witness: '佐藤 花子',
		note: 'Quarterly drill <script>alert(1)</script> & "quotes"',
		medium: {label: 'RDX-B', id: 'a1b2c3d4-medium', kind: 'rdx', offlineSince: '2026-11-20T09:30:00.000Z', smart: {verdict: 'passed', detail: 'Reallocated sectors 0'}},
		generation: {seq: 42, id: 'gen-7f3e9a', time: '2026-11-30T15:00:00.000Z', ageMs: ((10 * 60) + 5) * 60_000},
		chain: {ok: true, detail: 'chain of 42 seals'},
		verification: {ok: false, filesChecked: 1234, bytesChecked: 987_654_321, mismatches: [{path: 'ehr/scans/0001.pdf', problem: 'chunk 3 hash differs'}]},
		restored: {files: 1235, bytes: 987_654_999},
		liveComparison: {
			sampled: 50,
			identical: 47,
			changed: 2,
			missing: 1,
			samples: [
				{path: 'ehr/letters/a.txt', status: 'identical'},
				{path: 'ehr/db/nightly.sql', status: 'changed'},
				{path: 'ehr/old/gone.doc', status: 'missing'},
			],
		},
		applicationChecks: {
			databases: {
				available: true,
				databases: [
					{file: '/scratch/restored/ehr/db/nightly.sql', format: 'plain', database: 'drill_1_nightly_sql', ok: true, durationMs: 2345, tables: [
						{schema: 'public', name: 'patients', rows: 120},
						{schema: 'public', name: 'visits', rows: 450},
						{schema: 'karte', name: '処方', rows: 75},
					]},
					{file: '/scratch/restored/ehr/db/broken.dump', format: 'custom', database: 'drill_2_broken_dump', ok: false, durationMs: 456, tables: [], error: 'pg_restore: error: could not read from input file: end of file'},
				],
			},
			site: [
				{name: 'EHR viewer opens', ok: true, exitCode: 0, output: 'viewer ok', durationMs: 1500, timedOut: false},
				{name: 'Image index', ok: false, output: 'still indexing', durationMs: 30_000, timedOut: true},
			],
		},
		steps: [
			{id: 'open-medium', status: 'passed', durationMs: 1100},
			{id: 'check-chain', status: 'passed', durationMs: 2200},
			{id: 'restore', status: 'passed', durationMs: 333_000},
			{id: 'verify', status: 'failed', durationMs: 44_000, detail: '1 file differs'},
			{id: 'compare-live', status: 'passed', durationMs: 5500},
			{id: 'application-check', status: 'failed', durationMs: 66_000},
			{id: 'sign-off', status: 'passed', durationMs: 9000},
		],
		totalMs: 461_000,
		verdict: {passed: false, reasons: [{code: 'byte-mismatch', detail: 'ehr/scans/0001.pdf'}, {code: 'database-failed', detail: 'broken.dump'}, {code: 'site-check-failed'}]},
	};
}
