import fs from 'node:fs';
import path from 'node:path';
import type {ServerUser} from './server-user.js';

/**
 * The scratch folder is 0700 and owned by the user running Sedai, so a server running as another
 * user cannot reach its own folder inside it. Lend the server's group search (x) permission on the
 * scratch folder only, never read: it can walk to its own folder but not list the restored patient
 * data. `restore()` puts the owner group and mode back (also from a process-exit handler).
 */
export type ScratchAccess = {restore: () => void};

export const noChange: ScratchAccess = {
	restore() {
		// Nothing was lent.
	},
};

export function canSearch(stats: fs.Stats, user: ServerUser): boolean {
	if (stats.uid === user.uid) {
		return (stats.mode & 0o100) !== 0;
	}

	return stats.gid === user.gid ? (stats.mode & 0o010) !== 0 : (stats.mode & 0o001) !== 0;
}

export function lendSearchAccess(scratch: string, user: ServerUser): ScratchAccess {
	const stats = fs.statSync(scratch);
	if (canSearch(stats, user)) {
		return noChange;
	}

	const mode = stats.mode & 0o7777;
	fs.chownSync(scratch, stats.uid, user.gid);
	// Group: search only. The owner's and others' bits stay as they were.
	fs.chmodSync(scratch, (mode & 0o7707) | 0o010);
	let restored = false;
	return {
		restore() {
			if (restored) {
				return;
			}

			restored = true;
			try {
				fs.chownSync(scratch, stats.uid, stats.gid);
				fs.chmodSync(scratch, mode);
			} catch {
				// The scratch folder is gone already: nothing left to give back.
			}
		},
	};
}

/**
 * The first folder above the scratch folder the server's account cannot search (walk through),
 * if any: the server could not reach its own folder, and initdb's complaint would not say why.
 */
export function unsearchableParent(scratch: string, user: ServerUser): string | undefined {
	const parents: string[] = [];
	for (let folder = path.dirname(path.resolve(scratch)); ; folder = path.dirname(folder)) {
		parents.unshift(folder);
		if (path.dirname(folder) === folder) {
			break;
		}
	}

	return parents.find(folder => {
		try {
			return !canSearch(fs.statSync(folder), user);
		} catch {
			return false;
		}
	});
}
