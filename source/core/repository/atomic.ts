import fs from 'node:fs/promises';
import path from 'node:path';
import {randomBytes} from 'node:crypto';

/** Fsync a directory so that a rename or unlink inside it survives a power cut. */
export async function syncDirectory(directory: string): Promise<void> {
	let handle: fs.FileHandle | undefined;
	try {
		handle = await fs.open(directory, 'r');
		await handle.sync();
	} catch (error) {
		// Some filesystems (FAT over some drivers, network mounts) refuse fsync on directories.
		if (!isIgnorableSyncError(error)) {
			throw error;
		}
	} finally {
		await handle?.close();
	}
}

function isIgnorableSyncError(error: unknown): boolean {
	const {code} = (error as {code?: string});
	return code === 'EINVAL' || code === 'ENOTSUP' || code === 'EISDIR' || code === 'EBADF' || code === 'EPERM';
}

export function temporaryName(tmpDirectory: string, hint: string): string {
	return path.join(tmpDirectory, `${hint}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Write `data` so that `destination` either keeps its old state or holds all of `data`:
 * temp file in `tmpDirectory` (same filesystem), fsync, rename, fsync of the folder.
 * `exclusive` refuses to replace an existing file (sealed things are never rewritten).
 */
export async function writeFileAtomic(destination: string, data: Uint8Array | string, options: {tmpDirectory: string; exclusive?: boolean; mode?: number; beforeCommit?: () => Promise<void>}): Promise<void> {
	const temporary = temporaryName(options.tmpDirectory, path.basename(destination));
	const handle = await fs.open(temporary, 'wx', options.mode ?? 0o644);
	try {
		await handle.writeFile(data);
		await handle.sync();
	} catch (error) {
		await handle.close();
		await fs.rm(temporary, {force: true});
		throw error;
	}

	await handle.close();
	await options.beforeCommit?.();
	try {
		// Exclusive: link-then-unlink fails with EEXIST instead of silently replacing a sealed file.
		await (options.exclusive ? linkOrRename(temporary, destination) : fs.rename(temporary, destination));
	} catch (error) {
		await fs.rm(temporary, {force: true});
		throw error;
	}

	await syncDirectory(path.dirname(destination));
}

async function linkOrRename(temporary: string, destination: string): Promise<void> {
	try {
		await fs.link(temporary, destination);
		await fs.unlink(temporary);
	} catch (error) {
		const {code} = (error as {code?: string});
		// FAT/exFAT have no hard links: fall back to a checked rename.
		if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EMLINK') {
			const exists = await fs.lstat(destination).then(() => true, () => false);
			if (exists) {
				throw Object.assign(new Error(`EEXIST: ${destination} already exists`), {code: 'EEXIST', path: destination});
			}

			await fs.rename(temporary, destination);
			return;
		}

		throw error;
	}
}

/**
 * Like mkdir -p, but reporting the true error: Node's recursive mkdir says ENOENT when a parent could
 * not be made (a full disk's ENOSPC, EIO), which would read as "the medium was removed".
 */
export async function ensureDirectory(directory: string): Promise<void> {
	try {
		await fs.mkdir(directory, {recursive: true});
	} catch (error) {
		if ((error as {code?: string}).code !== 'ENOENT' || path.dirname(directory) === directory) {
			throw error;
		}

		await ensureDirectory(path.dirname(directory));
		await fs.mkdir(directory).catch((error_: unknown) => {
			if ((error_ as {code?: string}).code !== 'EEXIST') {
				throw error_;
			}
		});
	}
}
