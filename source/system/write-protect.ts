import path from 'node:path';
import {SedaiError} from '../core/errors.js';
import {bayOf, readFacts} from './demo-bays.js';
import {mountOf, readMounts, realPath} from './mounts.js';
import {nameOfMajorMinor, sysBlock} from './sysfs.js';
import {runTool} from './run-tool.js';

/**
 * Is the medium under a path writable? Follows path → mount → block device → whole disk and
 * reads the kernel's read-only flags (a cartridge's write-protect switch shows up there) and the
 * mount options. Checked before any write, so a protected cartridge is refused in one sentence
 * instead of failing half-way.
 */
export type MediumState = {
	path: string;
	mountpoint?: string;
	/** Mount source (/dev/sdb1, /dev/loop3, a share). */
	device?: string;
	fsType?: string;
	/** Kernel names of the device and its whole disk. */
	deviceName?: string;
	disk?: string;
	/** The device or its disk is read-only (write-protect switch, blockdev --setro). */
	hardwareReadOnly: boolean;
	mountReadOnly: boolean;
	demo?: boolean;
};

export async function mediumOf(target: string): Promise<MediumState> {
	const bay = bayOf(target);
	if (bay) {
		const facts = await readFacts(bay);
		return {path: target, mountpoint: path.join(bay, 'media'), device: bay, fsType: facts.fsType ?? 'demo', hardwareReadOnly: Boolean(facts.writeProtected), mountReadOnly: false, demo: true};
	}

	const resolved = await realPath(target);
	const mount = mountOf(resolved, await readMounts());
	if (!mount) {
		return {path: resolved, hardwareReadOnly: false, mountReadOnly: false};
	}

	const deviceName = await nameOfMajorMinor(mount.majorMinor);
	const sys = deviceName ? await sysBlock(deviceName) : undefined;
	return {
		path: resolved,
		mountpoint: mount.mountpoint,
		device: mount.source,
		fsType: await realFsType(mount.fsType, mount.source),
		...(deviceName ? {deviceName} : {}),
		...(sys ? {disk: sys.disk} : {}),
		hardwareReadOnly: sys?.readOnly === true || sys?.diskReadOnly === true,
		mountReadOnly: mount.readOnly,
	};
}

/** Whether a folder is on a drive the kernel calls removable (an RDX cartridge, a USB stick); a demo bay is one. */
export async function onRemovableDrive(target: string): Promise<boolean> {
	const medium = await mediumOf(target).catch(() => undefined);
	if (medium?.demo) {
		return true;
	}

	const name = medium?.disk ?? medium?.deviceName;
	return name ? (await sysBlock(name))?.removable === true : false;
}

/** FUSE mounts say only "fuseblk": ask blkid what is really on the device (exfat, ntfs). */
async function realFsType(fsType: string, source: string): Promise<string> {
	if (fsType !== 'fuseblk' || !source.startsWith('/dev/')) {
		return fsType;
	}

	const result = await runTool('blkid', ['-o', 'value', '-s', 'TYPE', source], {timeoutMs: 10_000});
	return result.ok && result.stdout.trim() ? result.stdout.trim() : fsType;
}

export function describeMedium(medium: MediumState): string {
	if (medium.demo) {
		return `demo bay ${path.basename(medium.device ?? '')}`;
	}

	return [medium.device, medium.mountpoint ? `at ${medium.mountpoint}` : undefined].filter(Boolean).join(' ');
}

/** Throws SedaiError('read-only') naming the cartridge when nothing may be written there. */
export async function assertWritableMedium(target: string, label: string): Promise<MediumState> {
	const medium = await mediumOf(target);
	if (medium.hardwareReadOnly) {
		throw new SedaiError('read-only', `The cartridge "${label}" (${describeMedium(medium)}) is write-protected (its write-protect switch is on): nothing was written. Turn the switch off to back up to it; verify, ls and restore from it still work.`, {device: medium.device, mountpoint: medium.mountpoint});
	}

	if (medium.mountReadOnly) {
		throw new SedaiError('read-only', `The cartridge "${label}" is mounted read-only (${describeMedium(medium)}): nothing was written. Remount it read-write (mount -o remount,rw ${medium.mountpoint ?? ''}) to back up; verify, ls and restore from it still work.`, {device: medium.device, mountpoint: medium.mountpoint});
	}

	return medium;
}
