import fs from 'node:fs';
import {toBuffer, type BytePath} from '../../byte-path.js';
import type {Entry} from '../../repository/manifest.js';
import type {FileFinish} from '../../workers/protocol.js';
import type {RestorePurpose} from './types.js';

/**
 * Which metadata a restore puts back. A recovery restores owners (as root) and every mode bit;
 * a test restore never chowns and never restores setuid, setgid or sticky bits, so a drill's
 * copy cannot hand a clinic's files or privileges to anyone.
 */
export type MetadataPolicy = {chown: boolean; modeMask: number};

export function metadataPolicy(purpose: RestorePurpose): MetadataPolicy {
	return purpose === 'test' ? {chown: false, modeMask: 0o777} : {chown: true, modeMask: 0o7777};
}

/** For the worker that writes a whole file. */
export function finishOf(entry: Entry, policy: MetadataPolicy): FileFinish {
	return {mode: entry.mode & policy.modeMask, uid: entry.uid, gid: entry.gid, mtimeNs: entry.mtimeNs.toString(), chown: policy.chown};
}

const isRoot = process.getuid?.() === 0;

/**
 * A nanosecond time as fs.utimes takes it without loss of sign: Node replaces a negative
 * number (before 1970) with the current time, but takes a numeric string as it is. (libuv
 * still rounds to microseconds.)
 */
export function utimeOf(ns: bigint): string {
	const negative = ns < 0n;
	const magnitude = negative ? -ns : ns;
	return `${negative ? '-' : ''}${magnitude / 1_000_000_000n}.${(magnitude % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/**
 * Synchronous on purpose: a restore's 4,400 folders are 13,000 calls, and each promise call's
 * round trip through the thread pool made them 0.65 s of a 2.3 s restore; the calls themselves
 * take microseconds. Callers give the event loop a turn between entries (eventLoopTurns).
 */
export function applyMetadata(target: BytePath, entry: Entry, kind: 'file' | 'dir' | 'symlink', policy: MetadataPolicy): void {
	const file = toBuffer(target);
	const seconds = utimeOf(entry.mtimeNs);
	const chown = policy.chown && isRoot;
	if (kind === 'symlink') {
		if (chown) {
			ignoreFailure(() => {
				fs.lchownSync(file, entry.uid, entry.gid);
			});
		}

		ignoreFailure(() => {
			fs.lutimesSync(file, seconds, seconds);
		});
		return;
	}

	if (chown) {
		ignoreFailure(() => {
			fs.chownSync(file, entry.uid, entry.gid);
		});
	}

	fs.chmodSync(file, entry.mode & policy.modeMask);
	fs.utimesSync(file, seconds, seconds);
}

/** An owner or a link's time that cannot be set is not worth failing a restore for. */
function ignoreFailure(call: () => void): void {
	try {
		call();
	} catch {}
}
