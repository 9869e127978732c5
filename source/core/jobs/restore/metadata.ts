import fs from 'node:fs/promises';
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

export async function applyMetadata(target: BytePath, entry: Entry, kind: 'file' | 'dir' | 'symlink', policy: MetadataPolicy): Promise<void> {
	const file = toBuffer(target);
	const seconds = utimeOf(entry.mtimeNs);
	const chown = policy.chown && isRoot;
	if (kind === 'symlink') {
		if (chown) {
			await fs.lchown(file, entry.uid, entry.gid).catch(() => undefined);
		}

		await fs.lutimes(file, seconds, seconds).catch(() => undefined);
		return;
	}

	if (chown) {
		await fs.chown(file, entry.uid, entry.gid).catch(() => undefined);
	}

	await fs.chmod(file, entry.mode & policy.modeMask);
	await fs.utimes(file, seconds, seconds);
}
