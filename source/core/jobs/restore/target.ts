import fs from 'node:fs/promises';
import {SedaiError} from '../../errors.js';
import {toBuffer, toText, type BytePath} from '../../byte-path.js';
import {ensureDirectory} from '../../repository/atomic.js';
import type {RestorePurpose} from './types.js';

/**
 * The restore folder: created if needed and refused unless empty (or --force). A test restore's
 * folder holds patient data on a technician's machine, so it is made private: mode 0700 and
 * owned by the user running Sedai, or refused.
 */
export async function prepareTarget(into: string, options: {force: boolean; purpose: RestorePurpose}): Promise<void> {
	const test = options.purpose === 'test';
	await fs.mkdir(into, {recursive: true, ...(test ? {mode: 0o700} : {})}).catch(async (error: unknown) => {
		// A file in the way is reported below, in words; ENOENT may hide a full disk's ENOSPC.
		const {code} = error as {code?: string};
		if (code === 'ENOENT') {
			await ensureDirectory(into);
		} else if (code !== 'EEXIST') {
			throw error;
		}
	});
	const stats = await fs.lstat(into);
	if (!stats.isDirectory()) {
		throw new SedaiError('usage', `The restore target ${into} is not a folder.`);
	}

	const existing = await fs.readdir(into);
	if (existing.length > 0 && !options.force) {
		throw new SedaiError('target-not-empty', `The restore folder ${into} is not empty (${existing.length} entries): choose an empty folder, or add --force to restore over what is there.`);
	}

	if (test) {
		const uid = process.getuid?.();
		if (uid !== undefined && stats.uid !== uid) {
			throw new SedaiError('unsafe-path', `The test-restore folder ${into} belongs to user ${stats.uid}, not to the user running Sedai (${uid}): choose a folder of your own, so the copy stays private.`);
		}

		// An existing folder keeps its mode otherwise, and mkdir's mode is cut by the umask.
		await fs.chmod(into, 0o700);
	}
}

/** With --force, existing files (or links) at restore paths are removed, never followed. */
export async function clearExisting(targets: BytePath[]): Promise<void> {
	for (const target of targets) {
		const stats = await fs.lstat(toBuffer(target)).catch(() => undefined);
		if (!stats) {
			continue;
		}

		if (stats.isDirectory()) {
			throw new SedaiError('target-not-empty', `${toText(target)} is a folder where the generation has a file: move it away and restore again.`);
		}

		await fs.unlink(toBuffer(target));
	}
}
