import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Facts from /sys: the kernel's word on removable, read-only (the hardware write-protect switch
 * surfaces here) and size, and which whole disk a partition belongs to.
 */
export type SysBlock = {
	/** Kernel name of the device itself (sdb1, loop3). */
	name: string;
	/** Kernel name of the whole disk (sdb for sdb1; itself for a disk). */
	disk: string;
	removable: boolean;
	/** The device itself is read-only (blockdev --setro, or the disk's switch propagated). */
	readOnly: boolean;
	/** The whole disk is read-only. */
	diskReadOnly: boolean;
	sizeBytes: number | undefined;
};

const sysRoot = '/sys/class/block';

async function readText(file: string): Promise<string | undefined> {
	try {
		const content = await fs.readFile(file, 'utf8');
		return content.trim();
	} catch {
		return undefined;
	}
}

export async function diskOf(name: string): Promise<string> {
	const isPartition = await readText(path.join(sysRoot, name, 'partition'));
	if (isPartition === undefined) {
		return name;
	}

	try {
		return path.basename(path.dirname(await fs.realpath(path.join(sysRoot, name))));
	} catch {
		return name;
	}
}

export async function sysBlock(name: string): Promise<SysBlock | undefined> {
	const ro = await readText(path.join(sysRoot, name, 'ro'));
	if (ro === undefined) {
		return undefined;
	}

	const disk = await diskOf(name);
	const diskRo = disk === name ? ro : await readText(path.join(sysRoot, disk, 'ro'));
	const removable = await readText(path.join(sysRoot, disk, 'removable'));
	const sectors = await readText(path.join(sysRoot, name, 'size'));
	return {
		name,
		disk,
		removable: removable === '1',
		readOnly: ro === '1',
		diskReadOnly: diskRo === '1',
		// /sys sizes are always in 512-byte units, whatever the sector size.
		sizeBytes: sectors === undefined ? undefined : Number(sectors) * 512,
	};
}

/** Kernel name of a device from its "major:minor" (as mountinfo gives it). */
export async function nameOfMajorMinor(majorMinor: string): Promise<string | undefined> {
	try {
		return path.basename(await fs.realpath(`/sys/dev/block/${majorMinor}`));
	} catch {
		return undefined;
	}
}

/** For a loop device, the file behind it. */
export async function loopBackingFile(name: string): Promise<string | undefined> {
	return readText(path.join(sysRoot, name, 'loop', 'backing_file'));
}
