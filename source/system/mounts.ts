import fs from 'node:fs/promises';
import path from 'node:path';

/** What is mounted where, from /proc/self/mountinfo (parsing is pure and tested on real text). */
export type MountEntry = {
	mountpoint: string;
	/** Mount source, e.g. /dev/sdb1 or /dev/loop3 (or "tmpfs", a share, …). */
	source: string;
	fsType: string;
	/** "major:minor" of the device, 0:N for filesystems without one. */
	majorMinor: string;
	readOnly: boolean;
	options: string[];
};

function unescape(text: string): string {
	return text.replaceAll(/\\(\d{3})/g, (_match, octal: string) => String.fromCodePoint(Number.parseInt(octal, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
	const entries: MountEntry[] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) {
			continue;
		}

		const [left, right] = line.split(' - ');
		if (!left || !right) {
			continue;
		}

		const fields = left.split(' ');
		const [fsType, source, superOptions] = right.split(' ');
		const options = [...(fields[5] ?? '').split(','), ...(superOptions ?? '').split(',')];
		entries.push({
			mountpoint: unescape(fields[4] ?? ''),
			source: unescape(source ?? ''),
			fsType: fsType ?? '',
			majorMinor: fields[2] ?? '',
			readOnly: (fields[5] ?? '').split(',').includes('ro') || (superOptions ?? '').split(',').includes('ro'),
			options,
		});
	}

	return entries;
}

export async function readMounts(): Promise<MountEntry[]> {
	try {
		return parseMountinfo(await fs.readFile('/proc/self/mountinfo', 'utf8'));
	} catch {
		return [];
	}
}

/** The mount a path lives on: the longest mount point containing it (the last one wins when stacked). */
export function mountOf(target: string, mounts: MountEntry[]): MountEntry | undefined {
	let best: MountEntry | undefined;
	for (const entry of mounts) {
		const inside = entry.mountpoint === '/' || target === entry.mountpoint || target.startsWith(entry.mountpoint + '/');
		if (inside && (!best || entry.mountpoint.length >= best.mountpoint.length)) {
			best = entry;
		}
	}

	return best;
}

/** Resolve symlinks as far as the path exists (a repository path may not exist yet). */
export async function realPath(target: string): Promise<string> {
	let current = path.resolve(target);
	const rest: string[] = [];
	for (;;) {
		try {
			return path.join(await fs.realpath(current), ...rest.reverse());
		} catch {
			const parent = path.dirname(current);
			if (parent === current) {
				return path.resolve(target);
			}

			rest.push(path.basename(current));
			current = parent;
		}
	}
}

/** Free and total bytes of the filesystem holding a path. */
export async function freeSpace(target: string): Promise<{available: number; size: number} | undefined> {
	try {
		const stats = await fs.statfs(target);
		return {available: stats.bavail * stats.bsize, size: stats.blocks * stats.bsize};
	} catch {
		return undefined;
	}
}
