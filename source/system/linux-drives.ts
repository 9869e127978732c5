import path from 'node:path';
import {message} from '../core/message.js';
import type {StateStore} from '../settings/state.js';
import {bytes, flatten, lsblkColumns, parseLsblk, type BlockNode} from './lsblk.js';
import {describeRepository, findRepositories} from './find-repositories.js';
import {freeSpace, mountOf, readMounts, type MountEntry} from './mounts.js';
import {smartctlArguments, smartctlSkippedAsleep, smartFromOutput, unknownSmart, type SmartReading} from './smart.js';
import {loadSmartHistory, saveSmartHistory, smartHistoryKey} from './smart-history.js';
import {loopBackingFile, sysBlock} from './sysfs.js';
import {firstLine, installHint, isRoot, runTool} from './run-tool.js';
import type {Drive, DriveReport, Filesystem} from './types.js';

/**
 * The Linux drive inspection: lsblk for the tree, blkid where udev left gaps, /sys for the
 * kernel's removable/read-only/size, mountinfo for read-only mounts, smartctl for health, and a
 * look for Sedai repositories on every mounted filesystem. Missing tools become notes.
 */
export async function listLinuxDrives(options: {state?: StateStore} = {}): Promise<DriveReport> {
	const notes: string[] = [];
	const root = isRoot();
	if (!root) {
		notes.push('Not running as root: drive health (SMART), labels of unmounted filesystems, mount and eject need root; run `sudo sedai drives` to see everything.');
	}

	const nodes = await readBlockTree(notes);
	await fillFromBlkid(flatten(nodes), notes, root);
	const mounts = await readMounts();
	const smart = await smartProbe(notes);
	const drives: Drive[] = [];
	for (const node of nodes) {
		if (!(await worthListing(node))) {
			continue;
		}

		drives.push(await describeDrive(node, mounts, smart, options.state));
	}

	await smart.save();
	await attachKnownRepositories(drives, mounts, options.state);
	return {source: 'linux', time: new Date().toISOString(), drives, notes};
}

async function readBlockTree(notes: string[]): Promise<BlockNode[]> {
	let result = await runTool('lsblk', ['--json', '--bytes', '--output', lsblkColumns.join(',')]);
	if (!result.ok && /unknown column/i.test(result.stderr)) {
		// Util-linux < 2.37 has MOUNTPOINT only.
		result = await runTool('lsblk', ['--json', '--bytes', '--output', lsblkColumns.join(',').replace('MOUNTPOINTS', 'MOUNTPOINT')]);
	}

	if (result.missing) {
		notes.push(`${installHint('lsblk')} (no drives can be listed without it).`);
		return [];
	}

	if (!result.ok) {
		notes.push(`lsblk failed (${firstLine(result.stderr) || `exit ${result.exitCode ?? '?'}`}): drives cannot be listed.`);
		return [];
	}

	try {
		return parseLsblk(result.stdout);
	} catch (error) {
		notes.push(`lsblk gave output Sedai cannot read (${error instanceof Error ? error.message : String(error)}).`);
		return [];
	}
}

/** Without udev (containers, minimal systems) lsblk knows no labels or types: ask blkid. */
async function fillFromBlkid(nodes: BlockNode[], notes: string[], root: boolean): Promise<void> {
	const gaps = nodes.filter(node => !node.fsType && (node.type === 'part' || node.children.length === 0));
	if (gaps.length === 0) {
		return;
	}

	const result = await runTool('blkid', ['-o', 'export', ...gaps.map(node => node.path)]);
	if (result.missing) {
		notes.push(`${installHint('blkid')} (filesystem types and labels may be missing).`);
		return;
	}

	const byDevice = parseBlkidExport(result.stdout);
	for (const node of gaps) {
		const found = byDevice.get(node.path);
		if (found) {
			node.fsType ??= found['TYPE'];
			node.label ??= found['LABEL'];
			node.uuid ??= found['UUID'];
		}
	}

	if (!root && byDevice.size === 0) {
		notes.push('Filesystem types and labels of some devices are unknown: blkid needs root to read them.');
	}
}

export function parseBlkidExport(text: string): Map<string, Record<string, string>> {
	const devices = new Map<string, Record<string, string>>();
	for (const block of text.split(/\n\s*\n/)) {
		const fields: Record<string, string> = {};
		for (const line of block.split('\n')) {
			const index = line.indexOf('=');
			if (index > 0) {
				fields[line.slice(0, index)] = line.slice(index + 1);
			}
		}

		if (fields['DEVNAME']) {
			devices.set(fields['DEVNAME'], fields);
		}
	}

	return devices;
}

async function worthListing(node: BlockNode): Promise<boolean> {
	if (/^(ram|zram)\d+$/.test(node.name) || node.size === 0) {
		return false;
	}

	if (node.type === 'loop') {
		// Snap packages are loop-mounted squashfs images: never cartridges.
		return node.fsType !== 'squashfs' && (await loopBackingFile(node.name)) !== undefined;
	}

	return ['disk', 'rom', 'loop'].includes(node.type);
}

type SmartProbe = {
	read: (node: BlockNode) => Promise<Drive['smart']>;
	save: () => Promise<void>;
};

async function smartProbe(notes: string[]): Promise<SmartProbe> {
	const version = await runTool('smartctl', ['--version'], {timeoutMs: 5000});
	const history = await loadSmartHistory();
	const readings: Array<{key: string; reading: SmartReading}> = [];
	if (version.missing) {
		notes.push(`${installHint('smartctl')} to see drive health (SMART).`);
	}

	return {
		async read(node) {
			if (node.type === 'loop') {
				return unknownSmart(message('smart.loop'));
			}

			if (version.missing) {
				return unknownSmart(installHint('smartctl'));
			}

			const result = await runTool('smartctl', smartctlArguments(node.path), {timeoutMs: 30_000});
			if (result.timedOut) {
				return unknownSmart(message('smart.timeout'));
			}

			if (smartctlSkippedAsleep(result.exitCode, result.stdout)) {
				return unknownSmart(message('smart.asleep'));
			}

			const key = smartHistoryKey(node, result.stdout);
			const {smart, reading} = smartFromOutput(result.stdout || '{}', history[key]);
			if (reading) {
				readings.push({key, reading});
			}

			return smart;
		},
		async save() {
			await saveSmartHistory(history, readings);
		},
	};
}

async function describeDrive(node: BlockNode, mounts: MountEntry[], smart: SmartProbe, state?: StateStore): Promise<Drive> {
	const sys = await sysBlock(node.name);
	const candidates = [node, ...flatten(node.children)].filter(item => (item.fsType !== undefined || item.mountpoints.length > 0 || mountsOf(item, mounts).length > 0) && item.fsType !== 'swap');
	const filesystems: Filesystem[] = [];
	for (const item of candidates) {
		filesystems.push(await describeFilesystem(item, mounts, state));
	}

	const backingFile = node.type === 'loop' ? await loopBackingFile(node.name) : undefined;
	return {
		name: node.name,
		path: node.path,
		...(node.model ? {model: node.model} : {}),
		...(node.serial ? {serial: node.serial} : {}),
		...(node.transport ? {transport: node.transport} : (node.type === 'loop' ? {transport: 'loop'} : {})),
		size: sys?.sizeBytes ?? node.size ?? 0,
		removable: sys?.removable ?? node.removable,
		writeProtected: sys?.diskReadOnly ?? node.readOnly,
		...(node.rotational === undefined ? {} : {rotational: node.rotational}),
		filesystems,
		smart: await smart.read(node),
		...(backingFile ? {backingFile} : {}),
	};
}

function mountsOf(node: BlockNode, mounts: MountEntry[]): string[] {
	const fromMountinfo = mounts.filter(entry => entry.source === node.path).map(entry => entry.mountpoint);
	return [...new Set([...node.mountpoints, ...fromMountinfo])];
}

async function describeFilesystem(node: BlockNode, mounts: MountEntry[], state?: StateStore): Promise<Filesystem> {
	const mountpoints = mountsOf(node, mounts);
	// Bind mounts repeat a filesystem: the shortest path is the one a technician mounted.
	const mountpoint = mountpoints.sort((a, b) => a.length - b.length)[0];
	const entry = mountpoint ? mounts.find(item => item.mountpoint === mountpoint) : undefined;
	const sys = await sysBlock(node.name);
	let readOnlyReason: string | undefined;
	if (sys?.diskReadOnly === true || sys?.readOnly === true || node.readOnly) {
		readOnlyReason = 'hardware write-protect on (the device is read-only)';
	} else if (entry?.readOnly) {
		readOnlyReason = 'mounted read-only';
	}

	const space = node.fsAvailable === undefined && mountpoint ? await freeSpace(mountpoint) : undefined;
	const size = node.fsSize ?? space?.size ?? bytes(node.size);
	const available = node.fsAvailable ?? space?.available;
	return {
		device: node.path,
		...(node.fsType ?? entry?.fsType ? {fsType: node.fsType ?? entry?.fsType} : {}),
		...(node.label ? {label: node.label} : {}),
		...(node.uuid ? {uuid: node.uuid} : {}),
		...(mountpoint ? {mountpoint} : {}),
		...(size === undefined ? {} : {size}),
		...(available === undefined ? {} : {available}),
		readOnly: readOnlyReason !== undefined,
		...(readOnlyReason ? {readOnlyReason} : {}),
		repositories: mountpoint ? await findRepositories(mountpoint, state) : [],
	};
}

/** Repositories remembered at a deeper path (e.g. /srv/backup/nas/sedai) are shown where they live. */
async function attachKnownRepositories(drives: Drive[], mounts: MountEntry[], state?: StateStore): Promise<void> {
	if (!state) {
		return;
	}

	const filesystems = drives.flatMap(drive => drive.filesystems);
	const seen = new Set(filesystems.flatMap(filesystem => filesystem.repositories.map(repository => repository.id)));
	for (const cartridge of state.cartridges()) {
		if (seen.has(cartridge.id) || !cartridge.lastPath) {
			continue;
		}

		const mount = mountOf(path.resolve(cartridge.lastPath), mounts);
		const filesystem = mount ? filesystems.find(item => item.mountpoint === mount.mountpoint) : undefined;
		if (!filesystem) {
			continue;
		}

		const repository = await describeRepository(cartridge.lastPath, state);
		if (repository?.id === cartridge.id) {
			filesystem.repositories.push(repository);
			seen.add(repository.id);
		}
	}
}
