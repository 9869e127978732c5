import fs from 'node:fs/promises';
import type {ProtectionState} from '../settings/state.js';
import {mediumOf} from './write-protect.js';
import {firstLine, installHint, isRoot, runTool} from './run-tool.js';

/**
 * Sealed files made read-only and, where the filesystem and privileges allow, immutable
 * (`chattr +i`: not even root can change or delete them until it is lifted). Lifting is a
 * separate, explicit call naming the files (prune uses it), so nothing unprotects by accident.
 */
export type FileProtection = {
	file: string;
	readOnly: boolean;
	/** Undefined when the filesystem has no such flag or it could not be read. */
	immutable: boolean | undefined;
};

export type ProtectOutcome = {
	protection: ProtectionState;
	/** Why it is not immutable (or not protected at all), in words. */
	note?: string;
	files: number;
	failed: string[];
};

const noImmutableFlag: Record<string, string> = {
	vfat: 'FAT (vfat) has no immutable flag',
	msdos: 'FAT has no immutable flag',
	exfat: 'exFAT has no immutable flag',
	ntfs: 'NTFS has no immutable flag on Linux',
	ntfs3: 'NTFS has no immutable flag on Linux',
	fuseblk: 'this FUSE filesystem (NTFS/exFAT driver) has no immutable flag',
	nfs: 'network shares (NFS) have no immutable flag',
	nfs4: 'network shares (NFS) have no immutable flag',
	cifs: 'network shares (SMB) have no immutable flag',
	smb3: 'network shares (SMB) have no immutable flag',
	'9p': 'this shared folder has no immutable flag',
	overlay: 'overlay filesystems do not keep the immutable flag',
	demo: 'the demo medium is a plain folder (no immutable flag)',
};

const batch = 200;

function chunks<T>(items: T[]): T[][] {
	const out: T[][] = [];
	for (let index = 0; index < items.length; index += batch) {
		out.push(items.slice(index, index + batch));
	}

	return out;
}

/** Why immutability cannot be used here, or undefined when it can be tried. */
export async function immutableUnavailable(sample: string): Promise<string | undefined> {
	if (process.env['SEDAI_IMMUTABLE'] === 'off') {
		return 'immutable flag turned off (SEDAI_IMMUTABLE=off)';
	}

	const medium = await mediumOf(sample);
	const reason = noImmutableFlag[medium.fsType ?? ''];
	if (reason) {
		return reason;
	}

	if (!isRoot()) {
		return 'chattr +i needs root (run the backup as root to make generations immutable)';
	}

	return undefined;
}

export async function protectFiles(files: string[]): Promise<ProtectOutcome> {
	if (files.length === 0) {
		return {protection: 'none', note: 'no files', files: 0, failed: []};
	}

	const failed: string[] = [];
	let ignored = 0;
	for (const file of files) {
		try {
			const stats = await fs.stat(file);
			if ((stats.mode & 0o222) !== 0) {
				await fs.chmod(file, stats.mode & ~0o222);
				// Some drivers (exfat-fuse) accept chmod and keep the file writable.
				const after = await fs.stat(file);
				if ((after.mode & 0o222) !== 0) {
					ignored++;
				}
			}
		} catch {
			failed.push(file);
		}
	}

	if (failed.length > 0) {
		return {protection: 'none', note: `${failed.length} of ${files.length} files could not be made read-only (permissions?)`, files: files.length, failed};
	}

	const unavailable = await immutableUnavailable(files[0]);
	if (ignored > 0) {
		const medium = await mediumOf(files[0]);
		const name = medium.fsType ?? 'this filesystem';
		return {protection: 'none', note: `${fsName(name)} keeps no read-only mode here and ${unavailable && noImmutableFlag[name] ? 'has no immutable flag' : 'was not made immutable'}: protect it by ejecting it (offline) or with its write-protect switch`, files: files.length, failed};
	}

	if (unavailable) {
		return {protection: 'read-only', note: unavailable, files: files.length, failed};
	}

	for (const group of chunks(files)) {
		const result = await runTool('chattr', ['+i', '--', ...group], {timeoutMs: 60_000});
		if (result.missing) {
			return {protection: 'read-only', note: installHint('chattr'), files: files.length, failed};
		}

		if (!result.ok) {
			const why = firstLine(result.stderr);
			const unsupported = /not supported|inappropriate ioctl/i.test(why);
			return {protection: 'read-only', note: unsupported ? 'this filesystem has no immutable flag' : `chattr +i failed: ${why}`, files: files.length, failed};
		}
	}

	return {protection: 'immutable', files: files.length, failed};
}

function fsName(fsType: string): string {
	const names: Record<string, string> = {vfat: 'FAT (vfat)', msdos: 'FAT', exfat: 'exFAT', ntfs: 'NTFS', ntfs3: 'NTFS'};
	return names[fsType] ?? fsType;
}

/**
 * Lift immutability from exactly these files (for prune/retention). The read-only mode stays:
 * deleting needs only the folder to be writable.
 */
export async function unprotect(files: string[]): Promise<{lifted: number; note?: string}> {
	if (files.length === 0) {
		return {lifted: 0};
	}

	const current = await readProtection(files);
	const immutable = current.filter(item => item.immutable).map(item => item.file);
	if (immutable.length === 0) {
		return {lifted: 0};
	}

	for (const group of chunks(immutable)) {
		const result = await runTool('chattr', ['-i', '--', ...group], {timeoutMs: 60_000});
		if (result.missing) {
			throw new Error(installHint('chattr'));
		}

		if (!result.ok) {
			throw new Error(`chattr -i failed: ${firstLine(result.stderr)}${isRoot() ? '' : ' (it needs root)'}`);
		}
	}

	return {lifted: immutable.length};
}

/** Read-only bit from stat, immutable flag from lsattr (undefined where unsupported). */
export async function readProtection(files: string[]): Promise<FileProtection[]> {
	const immutable = new Map<string, boolean>();
	for (const group of chunks(files)) {
		const result = await runTool('lsattr', ['-d', '--', ...group], {timeoutMs: 60_000});
		if (result.missing) {
			break;
		}

		for (const line of result.stdout.split('\n')) {
			const match = /^(\S+)\s(.+)$/.exec(line);
			if (match) {
				immutable.set(match[2], match[1].includes('i'));
			}
		}
	}

	const out: FileProtection[] = [];
	for (const file of files) {
		const stats = await fs.stat(file).catch(() => undefined);
		out.push({file, readOnly: stats ? (stats.mode & 0o222) === 0 : false, immutable: immutable.get(file)});
	}

	return out;
}

/** One protection state for a set of files (a generation and its packs). */
export function summarizeProtection(states: FileProtection[], whyNotImmutable?: string): {protection: ProtectionState; note?: string} {
	if (states.length === 0) {
		return {protection: 'none', note: 'no files found'};
	}

	if (states.every(item => item.immutable)) {
		return {protection: 'immutable'};
	}

	if (states.every(item => item.readOnly || item.immutable)) {
		return {protection: 'read-only', note: whyNotImmutable ?? 'not immutable: run `sudo sedai protect --repo …`'};
	}

	const writable = states.filter(item => !item.readOnly && !item.immutable).length;
	const why = whyNotImmutable ? ` (${whyNotImmutable})` : '';
	return {protection: 'none', note: `${writable} of ${states.length} files are writable${why}: run \`sedai protect\`, or keep this cartridge offline or write-protected`};
}
