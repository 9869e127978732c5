import type {JobKind} from '../core/jobs/events.js';
import {formatBytes, formatCount} from '../text/format.js';

/**
 * One line on what a finished job achieved, read from its summary record (the same object
 * `--json` prints last). Unknown shapes give undefined: the caller falls back to the job's notes.
 */
type Summary = Record<string, unknown>;

const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const names = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function backup(summary: Summary): string | undefined {
	if (typeof summary['plan'] === 'string') {
		const sealed = names(summary['sealed']);
		const offline = names(summary['offline']);
		const failed = names(summary['failed']);
		return [
			`sealed on ${sealed.length > 0 ? sealed.join(', ') : 'no target'}`,
			offline.length > 0 ? `offline: ${offline.join(', ')}` : '',
			failed.length > 0 ? `FAILED: ${failed.join(', ')}` : '',
		].filter(Boolean).join('; ');
	}

	const files = number(summary['files']);
	const bytes = number(summary['bytes']);
	if (typeof summary['shortId'] !== 'string' || files === undefined || bytes === undefined) {
		return undefined;
	}

	const fresh = number(summary['newBytes']);
	return `generation ${summary['shortId']} (#${String(summary['seq'])}): ${formatCount(files)} files, ${formatBytes(bytes)}${fresh === undefined ? '' : `, ${formatBytes(fresh)} new`}${summary['suspect'] === true ? ' - SUSPECT' : ''}`;
}

function verify(summary: Summary): string | undefined {
	const problems = number(summary['problems']);
	if (problems === undefined) {
		return undefined;
	}

	const generations = number(summary['generations']) ?? 0;
	const read = number(summary['bytesRead']) ?? 0;
	const what = `${generations} generation(s)${read > 0 ? `, ${formatBytes(read)} re-read` : ''}`;
	return problems === 0 ? `no damage: ${what}` : `DAMAGE: ${problems} problem(s) in ${what}`;
}

function restore(summary: Summary): string | undefined {
	const files = number(summary['files']);
	const mismatches = number(summary['mismatches']);
	if (files === undefined || mismatches === undefined) {
		return undefined;
	}

	const refused = number(summary['refused']) ?? 0;
	const head = `${formatCount(files)} files, ${formatBytes(number(summary['bytes']) ?? 0)}`;
	return mismatches === 0 && refused === 0 ? `${head}, every byte matches` : `${head}: ${mismatches} MISMATCH(ES), ${refused} refused`;
}

function prune(summary: Summary): string | undefined {
	const kept = number(summary['kept']);
	const removed = number(summary['removed']);
	if (kept === undefined || removed === undefined) {
		return undefined;
	}

	const dry = summary['dryRun'] === true;
	return `${dry ? 'dry run: would remove' : 'removed'} ${removed}, kept ${kept}, ${formatBytes(Math.max(0, number(summary['bytesFreed']) ?? 0))} ${dry ? 'to free' : 'freed'}`;
}

export function outcomeOf(kind: JobKind, summary: unknown): string | undefined {
	if (!summary || typeof summary !== 'object') {
		return undefined;
	}

	const record = summary as Summary;
	switch (kind) {
		case 'backup': {
			return backup(record);
		}

		case 'verify': {
			return verify(record);
		}

		case 'restore': {
			return restore(record);
		}

		case 'prune': {
			return prune(record);
		}
	}
}
