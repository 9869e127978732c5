import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError} from '../core/errors.js';
import {findRepositories} from './find-repositories.js';
import {firstLine, installHint, isRoot, runTool} from './run-tool.js';
import type {DriveReport} from './types.js';

/**
 * Mount a known cartridge by its label: an unmounted filesystem on a removable, USB or loop drive
 * whose filesystem label matches is tried first, then the others, each checked for a repository
 * with that label before it is kept mounted (a wrong one is unmounted again).
 */
export type MountResult = {
	label: string;
	device: string;
	mountpoint: string;
	alreadyMounted: boolean;
	readOnly: boolean;
};

export const mountRoot = '/media/sedai';

function safeName(label: string): string {
	return label.replaceAll(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 64) || 'cartridge';
}

/** A cartridge of unknown origin may carry set-uid programs or device nodes: neither may take effect. */
export function mountArguments(device: string, mountpoint: string): string[] {
	return ['-o', 'nosuid,nodev,noexec', device, mountpoint];
}

export async function mountByLabel(label: string, report: DriveReport): Promise<MountResult> {
	for (const drive of report.drives) {
		for (const filesystem of drive.filesystems) {
			if (filesystem.mountpoint && filesystem.repositories.some(repository => repository.label === label)) {
				return {label, device: filesystem.device, mountpoint: filesystem.mountpoint, alreadyMounted: true, readOnly: filesystem.readOnly};
			}
		}
	}

	const candidates = report.drives
		.filter(drive => drive.removable || drive.transport === 'usb' || drive.transport === 'loop')
		.flatMap(drive => drive.filesystems.filter(filesystem => !filesystem.mountpoint && filesystem.fsType && filesystem.fsType !== 'swap'))
		.sort((a, b) => Number(b.label === label) - Number(a.label === label));
	if (candidates.length === 0) {
		throw new SedaiError('not-found', `No unmounted cartridge is connected to look for "${label}" on: insert it, then try again (see \`sedai drives\`).`);
	}

	if (!isRoot()) {
		throw new SedaiError('io', `Mounting a cartridge needs root: run \`sudo sedai cartridges --mount ${label}\`.`);
	}

	const mountpoint = path.join(mountRoot, safeName(label));
	await fs.mkdir(mountpoint, {recursive: true});
	for (const filesystem of candidates) {
		const result = await runTool('mount', mountArguments(filesystem.device, mountpoint), {timeoutMs: 60_000});
		if (result.missing) {
			throw new SedaiError('tool-missing', `${installHint('mount')}: cannot mount ${filesystem.device}.`);
		}

		if (!result.ok) {
			continue;
		}

		const repositories = await findRepositories(mountpoint);
		if (repositories.some(repository => repository.label === label)) {
			const readOnly = /write-protected|read-only/i.test(result.stderr) || filesystem.readOnly;
			return {label, device: filesystem.device, mountpoint, alreadyMounted: false, readOnly};
		}

		const undo = await runTool('umount', [mountpoint]);
		if (!undo.ok) {
			throw new SedaiError('io', `Looked for "${label}" on ${filesystem.device} but could not unmount it again (${firstLine(undo.stderr)}): unmount ${mountpoint} by hand.`);
		}
	}

	await fs.rmdir(mountpoint).catch(() => undefined);
	throw new SedaiError('not-found', `None of the connected cartridges holds a repository labelled "${label}": check the label with \`sedai cartridges\`.`);
}
