// Where the bench restores to: a tmpfs (memory: the tools' own cost) and an ext4 loop image (a
// real disk filesystem: metadata and allocation order count). Both need root; elsewhere restores
// go to a folder on BENCH_DIR's own filesystem, named as such in the table.
import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';

export type RestoreTarget = {name: string; folder: string};

export async function mountRestoreTargets(work: string, bytes: number): Promise<{targets: RestoreTarget[]; unmount: () => Promise<void>}> {
	const mounted: string[] = [];
	const targets: RestoreTarget[] = [];
	// Room for one tool's restore at a time (each is checked and removed before the next).
	const size = Math.max(1_500_000_000, Math.ceil(bytes * 2.5));
	if (process.getuid?.() === 0) {
		const tmpfs = path.join(work, 'target-tmpfs');
		fs.mkdirSync(tmpfs, {recursive: true});
		if ((await execa('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'sedai-bench', tmpfs], {reject: false})).exitCode === 0) {
			mounted.push(tmpfs);
			targets.push({name: 'tmpfs', folder: tmpfs});
		}

		const image = path.join(work, 'target-ext4.img');
		const ext4 = path.join(work, 'target-ext4');
		fs.mkdirSync(ext4, {recursive: true});
		fs.rmSync(image, {force: true});
		await execa('truncate', ['-s', String(size), image]);
		// One inode per 4 KiB: the small-files tree needs more than mkfs's default gives.
		await execa('mkfs.ext4', ['-q', '-F', '-i', '4096', image]);
		if ((await execa('mount', ['-o', 'loop', image, ext4], {reject: false})).exitCode === 0) {
			mounted.push(ext4);
			targets.push({name: 'ext4', folder: ext4});
		}
	}

	if (targets.length === 0) {
		const folder = path.join(work, 'target-folder');
		fs.mkdirSync(folder, {recursive: true});
		const type = (await execa('stat', ['-f', '-c', '%T', folder])).stdout.trim();
		targets.push({name: `${type} folder`, folder});
	}

	return {targets, async unmount() {
		for (const folder of mounted) {
			await execa('umount', [folder], {reject: false});
		}

		fs.rmSync(path.join(work, 'target-ext4.img'), {force: true});
	}};
}

/** Empty a restore target between tools, keeping the mount. */
export function emptyFolder(folder: string): void {
	for (const name of fs.readdirSync(folder)) {
		fs.rmSync(path.join(folder, name), {recursive: true, force: true});
	}
}
