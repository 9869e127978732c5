import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import type {ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {createLoopCartridge, removeProtectedTree, type CartridgeFs, type LoopCartridge} from '../helpers/loop-device.js';

/**
 * One loop cartridge holding a Sedai repository with one generation of a small clinic folder,
 * a private SEDAI_HOME, and teardown that always unmounts, detaches and deletes.
 */
export const passphrase = 'correct horse battery';

export type CartridgeWithRepository = {
	cartridge: LoopCartridge;
	label: string;
	repoPath: string;
	repository: Repository;
	source: string;
	home: string;
	scratch: string;
};

export async function scratchFolder(t: ExecutionContext, prefix: string): Promise<string> {
	const directory = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
	t.teardown(async () => removeProtectedTree(directory));
	return directory;
}

/** Labels are unique per run: eject by label looks at every mount on the machine. */
export function uniqueLabel(prefix: string): string {
	return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function cartridgeWithRepository(t: ExecutionContext, options: {fsType: CartridgeFs; label: string; home?: string}): Promise<CartridgeWithRepository> {
	const cartridge = await createLoopCartridge({fsType: options.fsType, label: options.label.slice(0, 11)});
	t.teardown(async () => cartridge.cleanup());
	const scratch = await scratchFolder(t, 'sedai-system-');
	const home = options.home ?? path.join(scratch, 'home');
	const source = path.join(scratch, 'clinic');
	await fs.mkdir(path.join(source, 'カルテ'), {recursive: true});
	await fs.writeFile(path.join(source, 'カルテ', '患者-0001.txt'), '血圧 120/80\n');
	await fs.writeFile(path.join(source, 'dump.sql'), 'INSERT INTO visits VALUES (1);\n'.repeat(500));
	const repoPath = path.join(cartridge.mountpoint, 'sedai');
	const repository = await Repository.init(repoPath, {label: options.label, passphrase});
	await runBackup(repository, {sources: [source]});
	return {cartridge, label: options.label, repoPath, repository, source, home, scratch};
}

export function env(home: string): {home: string; passphrase: string} {
	return {home, passphrase};
}
