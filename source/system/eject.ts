import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError} from '../core/errors.js';
import type {StateStore} from '../settings/state.js';
import {findRepositories} from './find-repositories.js';
import {mountOf, readMounts, realPath, type MountEntry} from './mounts.js';
import {nameOfMajorMinor, sysBlock} from './sysfs.js';
import {firstLine, installHint, isRoot, runTool} from './run-tool.js';
import type {RepositoryOnDrive} from './types.js';
import {mountRoot} from './mount-cartridge.js';

/**
 * Safe eject on Linux: refuse while a Sedai job holds a repository on the medium, flush, unmount
 * every filesystem of the disk, power it off (udisksctl, eject; `losetup -d` for a loop
 * cartridge), then record the cartridges as offline since now. Until the unmount succeeded
 * nothing is done that a technician would have to undo.
 */
export type EjectResult = {
	target: string;
	ok: boolean;
	device?: string;
	mountpoint?: string;
	/** Cartridges (repositories) that went offline. */
	cartridges: Array<{id: string; label: string; offlineSince: string}>;
	/** What was done, in order. */
	steps: string[];
	notes: string[];
};

const systemMounts = new Set(['/', '/boot', '/boot/efi', '/usr', '/var', '/home', '/etc', '/opt', '/srv', '/tmp']);

/** The mount a label or path names: a repository label, a filesystem label, a mount point or a path inside one, or /dev/…. */
export async function resolveEjectTarget(target: string, mounts: MountEntry[], state?: StateStore): Promise<MountEntry> {
	if (target.startsWith('/dev/')) {
		const found = mounts.find(entry => entry.source === target);
		if (!found) {
			throw new SedaiError('not-found', `${target} is not mounted: there is nothing to eject (if it is still connected, it is already safe to remove).`);
		}

		return found;
	}

	if (target.startsWith('/') || target.startsWith('.')) {
		const mount = mountOf(await realPath(target), mounts);
		if (!mount || systemMounts.has(mount.mountpoint)) {
			throw new SedaiError('usage', `${target} is on the system disk (${mount?.mountpoint ?? '/'}): Sedai ejects only cartridges and removable drives.`);
		}

		return mount;
	}

	for (const entry of mounts) {
		if (systemMounts.has(entry.mountpoint) || !entry.source.startsWith('/dev/')) {
			continue;
		}

		const repositories = await findRepositories(entry.mountpoint);
		if (repositories.some(repository => repository.label === target) || path.basename(entry.mountpoint) === target) {
			return entry;
		}
	}

	const known = state?.findByLabel(target);
	if (known?.offlineSince) {
		throw new SedaiError('not-found', `The cartridge "${target}" is already offline (${known.offlineReason ?? 'ejected'} ${known.offlineSince}).`);
	}

	throw new SedaiError('not-found', `No connected cartridge is labelled "${target}": see \`sedai drives\` for what is plugged in.`);
}

export async function ejectLinux(target: string, options: {state?: StateStore; now?: Date} = {}): Promise<EjectResult> {
	const mounts = await readMounts();
	const mount = await resolveEjectTarget(target, mounts, options.state);
	const deviceName = await nameOfMajorMinor(mount.majorMinor);
	const sys = deviceName ? await sysBlock(deviceName) : undefined;
	const disk = sys?.disk ?? deviceName;
	// Every filesystem of the same disk goes offline together.
	const siblings: MountEntry[] = [];
	for (const entry of mounts) {
		const name = await nameOfMajorMinor(entry.majorMinor);
		const entrySys = name ? await sysBlock(name) : undefined;
		const entryDisk = entrySys?.disk;
		if (entry === mount || (disk && entryDisk === disk)) {
			siblings.push(entry);
		}
	}

	if (siblings.some(entry => systemMounts.has(entry.mountpoint))) {
		throw new SedaiError('usage', `${mount.source} shares its disk with the system (${siblings.map(entry => entry.mountpoint).join(', ')}): Sedai ejects only cartridges and removable drives.`);
	}

	const repositories: RepositoryOnDrive[] = [];
	for (const entry of siblings) {
		repositories.push(...await findRepositories(entry.mountpoint));
	}

	const busy = repositories.find(repository => repository.busy);
	if (busy) {
		throw new SedaiError('busy', `The cartridge "${busy.label}" is in use by ${busy.busy}: wait for it to finish, then eject.`, {label: busy.label});
	}

	const steps: string[] = [];
	const notes: string[] = [];
	const flushed = await runTool('sync', ['-f', mount.mountpoint]);
	if (!flushed.ok) {
		await runTool('sync', []);
	}

	steps.push('flushed writes (sync)');
	// Deepest first: a mount nested inside another must go before its parent.
	for (const entry of [...siblings].sort((a, b) => b.mountpoint.length - a.mountpoint.length)) {
		const result = await runTool('umount', [entry.mountpoint], {timeoutMs: 60_000});
		if (result.missing) {
			throw new SedaiError('tool-missing', `${installHint('umount')}: cannot unmount ${entry.mountpoint}.`);
		}

		if (!result.ok) {
			const why = firstLine(result.stderr);
			if (/busy/i.test(why)) {
				throw new SedaiError('busy', `${entry.mountpoint} is busy: a program still has files open there; close it (see \`fuser -vm ${entry.mountpoint}\`) and eject again.`);
			}

			if (!isRoot() || /superuser|not permitted|permission/i.test(why)) {
				throw new SedaiError('io', `Unmounting ${entry.mountpoint} needs root: run \`sudo sedai eject ${target}\`.`);
			}

			throw new SedaiError('io', `Could not unmount ${entry.mountpoint} (${why || `exit ${result.exitCode ?? '?'}`}): it is not safe to remove yet.`);
		}

		steps.push(`unmounted ${entry.mountpoint}`);
		if (path.dirname(entry.mountpoint) === mountRoot) {
			// Sedai made this folder when it mounted the cartridge by label.
			await fs.rmdir(entry.mountpoint).catch(() => undefined);
		}
	}

	await powerOff(disk, steps, notes);
	const now = options.now ?? new Date();
	const cartridges: EjectResult['cartridges'] = [];
	// A block device Sedai could eject (not on the system disk) can leave the room, whatever the
	// kernel's removable bit says (USB disks and loop images report 0); a share cannot.
	const detachable = sys?.removable === true || mount.source.startsWith('/dev/');
	for (const repository of repositories) {
		if (options.state) {
			options.state.remember({id: repository.id, label: repository.label, ...(repository.site ? {site: repository.site} : {}), encrypted: repository.encrypted, lastPath: repository.path, lastMount: mount.mountpoint, lastDevice: mount.source, fsType: mount.fsType, removable: detachable}, now);
			options.state.markOffline(repository.id, 'ejected', now);
		}

		cartridges.push({id: repository.id, label: repository.label, offlineSince: now.toISOString()});
	}

	return {target, ok: true, device: mount.source, mountpoint: mount.mountpoint, cartridges, steps, notes};
}

async function powerOff(disk: string | undefined, steps: string[], notes: string[]): Promise<void> {
	if (!disk) {
		notes.push('Unmounted; the device behind it is unknown, so it was not powered off. It is safe to remove.');
		return;
	}

	const device = `/dev/${disk}`;
	if (disk.startsWith('loop')) {
		const result = await runTool('losetup', ['-d', device]);
		if (result.ok) {
			steps.push(`detached loop device ${device}`);
		} else {
			notes.push(`Unmounted, but ${device} could not be detached (${firstLine(result.stderr) || 'losetup failed'}).`);
		}

		return;
	}

	const udisks = await runTool('udisksctl', ['power-off', '--block-device', device, '--no-user-interaction'], {timeoutMs: 30_000});
	if (udisks.ok) {
		steps.push(`powered off ${device} (udisksctl)`);
		return;
	}

	const eject = await runTool('eject', [device], {timeoutMs: 30_000});
	if (eject.ok) {
		steps.push(`ejected ${device}`);
		return;
	}

	notes.push(eject.missing && udisks.missing
		? `Unmounted and safe to remove; ${device} was not powered off because neither udisksctl nor eject is installed (apt-get install eject).`
		: `Unmounted and safe to remove; powering off ${device} did not work (${firstLine(eject.stderr) || firstLine(udisks.stderr) || 'unknown reason'}).`);
}
