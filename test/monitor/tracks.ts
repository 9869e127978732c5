import type {JobKind} from '../../source/core/jobs/events.js';
import type {JobStatus, JobTrack, JournalLogRecord} from '../../source/settings/job-journal-reader.js';
import type {JournalProgress} from '../../source/settings/job-journal.js';

/** Constructed job journals (as the reader returns them) for the view-model tests. */
export const now = Date.parse('2026-02-01T10:00:00.000Z');

export const iso = (msAgo: number): string => new Date(now - msAgo).toISOString();

export function progressAt(msAgo: number, fields: Partial<JournalProgress> = {}): JournalProgress {
	return {type: 'progress', t: iso(msAgo), phase: 'read', bytesDone: 512 * 1024 * 1024, bytesTotal: 2 * 1024 * 1024 * 1024, filesDone: 120, filesTotal: 480, currentPath: 'patients/2026/山田太郎/レントゲン画像_0001.dcm', rate: 80 * 1024 * 1024, elapsedMs: 6000, etaMs: 19_000, ...fields};
}

export function track(options: {name?: string; kind?: JobKind; label?: string; detail?: string; status: JobStatus; startedAgo: number; last?: JournalProgress; log?: JournalLogRecord[]; samples?: Array<{ago: number; rate: number}>; pid?: number; repository?: string}): JobTrack {
	const name = options.name ?? `${iso(options.startedAgo).replaceAll(':', '-')}-${options.pid ?? 4242}-${options.kind ?? 'backup'}.jsonl`;
	const log = (options.log ?? []).map((record, index) => ({key: `${name}#${index + 2}`, record}));
	const end = options.log?.find(record => record.type === 'end');
	const times = [now - options.startedAgo, ...log.map(entry => Date.parse(entry.record.t)), ...(options.last ? [Date.parse(options.last.t)] : [])];
	return {
		name,
		start: {
			type: 'start', version: 1, kind: options.kind ?? 'backup', label: options.label ?? 'RDX-A', pid: options.pid ?? 4242, host: 'clinic-server', time: iso(options.startedAgo),
			...(options.detail ? {detail: options.detail} : {}),
			...(options.repository ? {repository: options.repository} : {}),
		},
		status: options.status,
		...(options.last ? {last: options.last, phase: options.last.phase} : {}),
		...(end?.type === 'end' ? {end} : {}),
		log,
		samples: (options.samples ?? []).map(sample => ({time: now - sample.ago, rate: sample.rate})),
		warnings: log.filter(entry => entry.record.type === 'warning').length,
		lastTime: Math.max(...times),
	};
}
