import type {BackupRunResult} from '../app/operations/backup.js';
import type {PruneRunResult} from '../app/operations/prune.js';
import type {ProtectRunResult} from '../app/operations/protect.js';
import type {RestoreRunResult} from '../app/operations/restore.js';
import type {VerifyResult} from '../app/operations/verify.js';
import type {JournalKind} from '../settings/job-journal.js';
import {formatBytes, formatCount} from '../text/format.js';

/**
 * One line on what a finished job achieved, read from the typed result its operation ended with
 * (the same object `--json` prints in the `end` event). A journal without one gives undefined:
 * the caller falls back to the job's notes.
 */
function backup(result: BackupRunResult): string {
	if (result.plan !== undefined || result.targets.length !== 1) {
		return [
			`sealed on ${result.sealed.length > 0 ? result.sealed.join(', ') : 'no target'}`,
			result.offline.length > 0 ? `offline: ${result.offline.join(', ')}` : '',
			result.failed.length > 0 ? `FAILED: ${result.failed.join(', ')}` : '',
		].filter(Boolean).join('; ') + (result.suspect ? ' - SUSPECT' : '');
	}

	const [target] = result.targets;
	const {generation} = target;
	if (!generation) {
		return target.message ?? target.status;
	}

	return `generation ${generation.shortId} (#${generation.seq}): ${formatCount(generation.files)} files, ${formatBytes(generation.bytes)}, ${formatBytes(generation.newBytes)} new${target.suspect ? ' - SUSPECT' : ''}`;
}

function verify(result: VerifyResult): string {
	const what = `${result.generations} generation(s)${result.bytesRead > 0 ? `, ${formatBytes(result.bytesRead)} re-read` : ''}`;
	return result.problems.length === 0 ? `no damage: ${what}` : `DAMAGE: ${result.problems.length} problem(s) in ${what}`;
}

function restore(result: RestoreRunResult): string {
	const head = `${formatCount(result.files)} files, ${formatBytes(result.bytes)}`;
	return result.mismatches.length === 0 && result.refused.length === 0 ? `${head}, every byte matches` : `${head}: ${result.mismatches.length} MISMATCH(ES), ${result.refused.length} refused`;
}

function prune(result: PruneRunResult): string {
	return `${result.dryRun ? 'dry run: would remove' : 'removed'} ${result.removed}, kept ${result.kept}, ${formatBytes(Math.max(0, result.bytesFreed))} ${result.dryRun ? 'to free' : 'freed'}`;
}

function protect(result: ProtectRunResult): string {
	return result.unprotected === 0 ? `all ${result.generations.length} generation(s) protected` : `${result.unprotected} of ${result.generations.length} generation(s) NOT protected`;
}

export function outcomeOf(kind: JournalKind, result: unknown): string | undefined {
	if (!result || typeof result !== 'object') {
		return undefined;
	}

	try {
		switch (kind) {
			case 'backup': {
				return backup(result as BackupRunResult);
			}

			case 'verify': {
				return verify(result as VerifyResult);
			}

			case 'restore': {
				return restore(result as RestoreRunResult);
			}

			case 'prune': {
				return prune(result as PruneRunResult);
			}

			case 'protect': {
				return protect(result as ProtectRunResult);
			}

			default: {
				return undefined;
			}
		}
	} catch {
		// A journal from another version of Sedai: its notes say what happened.
		return undefined;
	}
}
