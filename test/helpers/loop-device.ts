import fs from 'node:fs/promises';
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';

/**
 * Real cartridges for tests: a sparse image file, a loop device, a real filesystem (ext4, xfs,
 * exFAT or FAT), mounted. An xfs cartridge can also fail like a pulled disk: `pull()` shuts the
 * filesystem down (every later access is EIO). Needs root and loop devices; without them it throws one clear sentence (tests
 * fail, never skip: under CI=true a missing capability is a broken runner). Always pair with
 * `t.teardown(() => cartridge.cleanup())`: cleanup is idempotent and lifts immutable flags first.
 */
export type CartridgeFs = 'ext4' | 'xfs' | 'exfat' | 'vfat';

export type LoopCartridge = {
	image: string;
	/** /dev/loopN (while attached). */
	device: string;
	mountpoint: string;
	fsType: CartridgeFs;
	label: string;
	/** Unmount (keeps the loop device attached). */
	unmount: () => Promise<void>;
	/** Mount again; `readOnly` mounts with -o ro. */
	mount: (options?: {readOnly?: boolean}) => Promise<void>;
	/** The write-protect switch: blockdev --setro / --setrw on the loop device. */
	setWriteProtect: (on: boolean) => Promise<void>;
	/** For xfs: `xfs_io -x -c shutdown`, what a cartridge pulled mid-write looks like (EIO). */
	pull: () => Promise<void>;
	cleanup: () => Promise<void>;
};

export function loopSupportProblem(): string | undefined {
	if (process.getuid?.() !== 0) {
		return 'Loop-device cartridge tests need root (uid 0): run them as root (CI runs as root with CI=true)';
	}

	if (!existsSync('/dev/loop-control')) {
		return 'Loop-device cartridge tests need loop devices, but /dev/loop-control is missing: load the loop module (modprobe loop) or run the container with --privileged';
	}

	for (const tool of ['losetup', 'mount', 'umount', 'blockdev', 'mkfs.ext4']) {
		if (!['/usr/sbin', '/sbin', '/usr/bin', '/bin'].some(directory => existsSync(path.join(directory, tool)))) {
			return `Loop-device cartridge tests need ${tool}: apt-get install util-linux e2fsprogs (see .ci/run)`;
		}
	}

	return undefined;
}

/** Throws unless loop cartridges can be made here; the message says what is missing. */
export function requireLoopSupport(): void {
	const problem = loopSupportProblem();
	if (problem) {
		throw new Error(`${problem}.${process.env['CI'] === 'true' ? ' (CI=true: this is a failure, not a skip.)' : ''}`);
	}
}

function kernelHas(fsType: string): boolean {
	try {
		return readFileSync('/proc/filesystems', 'utf8').split('\n').some(line => line.trim().split(/\s+/).at(-1) === fsType);
	} catch {
		return false;
	}
}

function helperExists(name: string): boolean {
	return ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].some(directory => existsSync(path.join(directory, name)));
}

/** Kernel driver where present, else the FUSE one (exfat-fuse, fusefat). */
function mountArgs(fsType: CartridgeFs, device: string, mountpoint: string, readOnly: boolean): [string, string[]] {
	const ro = readOnly ? ['-o', 'ro'] : [];
	if (fsType === 'ext4' || fsType === 'xfs' || kernelHas(fsType)) {
		return ['mount', [...ro, '-t', fsType, device, mountpoint]];
	}

	if (fsType === 'exfat' && helperExists('mount.exfat-fuse')) {
		return ['mount', [...ro, '-t', 'exfat-fuse', device, mountpoint]];
	}

	if (fsType === 'vfat' && helperExists('fusefat')) {
		return ['fusefat', ['-o', readOnly ? 'ro' : 'rw+', device, mountpoint]];
	}

	throw new Error(`This kernel cannot mount ${fsType} and no FUSE driver is installed: apt-get install ${fsType === 'exfat' ? 'exfat-fuse' : 'fusefat'} (see .ci/run)`);
}

async function isMounted(mountpoint: string): Promise<boolean> {
	const text = await fs.readFile('/proc/self/mountinfo', 'utf8');
	return text.split('\n').some(line => line.split(' ')[4] === mountpoint);
}

export async function createLoopCartridge(options: {fsType: CartridgeFs; label: string; sizeMiB?: number}): Promise<LoopCartridge> {
	requireLoopSupport();
	const directory = await fs.mkdtemp(path.join(os.tmpdir(), `sedai-cartridge-${options.label.toLowerCase()}-`));
	const image = path.join(directory, 'cartridge.img');
	const mountpoint = path.join(directory, 'mnt');
	await fs.mkdir(mountpoint);
	await execa('truncate', ['-s', `${options.sizeMiB ?? 64}M`, image]);
	const attached = await execa('losetup', ['--find', '--show', image], {reject: false});
	if (attached.exitCode !== 0) {
		await fs.rm(directory, {recursive: true, force: true});
		throw new Error(`Could not attach a loop device (${attached.stderr.trim()}): free one with \`losetup -D\` or add loop devices`);
	}

	const device = attached.stdout.trim();
	let attachedNow = true;
	const cartridge: LoopCartridge = {
		image,
		device,
		mountpoint,
		fsType: options.fsType,
		label: options.label,
		async unmount() {
			if (await isMounted(mountpoint)) {
				await execa('umount', [mountpoint]);
			}
		},
		async mount(mountOptions = {}) {
			const [command, args] = mountArgs(options.fsType, device, mountpoint, Boolean(mountOptions.readOnly));
			await execa(command, args);
		},
		async setWriteProtect(on) {
			await execa('blockdev', [on ? '--setro' : '--setrw', device]);
		},
		async pull() {
			await execa('xfs_io', ['-x', '-c', 'shutdown', mountpoint]);
		},
		async cleanup() {
			if (await isMounted(mountpoint)) {
				if (options.fsType === 'ext4' || options.fsType === 'xfs') {
					await execa('chattr', ['-R', '-i', mountpoint], {reject: false});
				}

				const result = await execa('umount', [mountpoint], {reject: false});
				if (result.exitCode !== 0) {
					await execa('umount', ['-l', mountpoint], {reject: false});
				}
			}

			if (attachedNow) {
				const still = await execa('losetup', ['-j', image], {reject: false});
				if (still.stdout.includes(device)) {
					await execa('blockdev', ['--setrw', device], {reject: false});
					await execa('losetup', ['-d', device], {reject: false});
				}

				attachedNow = false;
			}

			await fs.rm(directory, {recursive: true, force: true});
		},
	};

	try {
		await execa(...mkfsCommand(options.fsType, options.label, device));
		await cartridge.mount();
	} catch (error) {
		await cartridge.cleanup();
		throw error;
	}

	return cartridge;
}

function mkfsCommand(fsType: CartridgeFs, label: string, device: string): [string, string[]] {
	switch (fsType) {
		case 'ext4': {
			return ['mkfs.ext4', ['-q', '-L', label, device]];
		}

		case 'xfs': {
			if (!helperExists('mkfs.xfs')) {
				throw new Error('xfs cartridges need mkfs.xfs and xfs_io: apt-get install xfsprogs (see .ci/run)');
			}

			// Xfs needs at least 300 MiB; labels are up to 12 characters.
			return ['mkfs.xfs', ['-q', '-L', label.slice(0, 12), device]];
		}

		case 'exfat': {
			return ['mkfs.exfat', ['-L', label, device]];
		}

		case 'vfat': {
			return ['mkfs.vfat', ['-n', label.toUpperCase().slice(0, 11), device]];
		}
	}
}

/** Remove a folder even when Sedai made files in it immutable (`sedai backup` as root on ext4). */
export async function removeProtectedTree(directory: string): Promise<void> {
	if (existsSync(directory)) {
		await execa('chattr', ['-R', '-i', directory], {reject: false});
		await fs.rm(directory, {recursive: true, force: true});
	}
}
