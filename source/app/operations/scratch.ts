import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError} from '../../core/errors.js';
import type {OperationContext} from './context.js';

/**
 * The scratch folder: test restores and drills restore into fresh folders below it. A drill
 * deletes its copy unless kept; what stays (kept copies, plain test restores, folders left by a
 * killed run, a throwaway PostgreSQL's folder) holds patient data, so it is listed with its size
 * and age and can be deleted — only inside the scratch folder, never through a symbolic link,
 * never across a mount point.
 */
export type ScratchEntry = {
	name: string;
	path: string;
	kind: 'folder' | 'file' | 'link';
	/** Bytes of the regular files in it (links are not followed). */
	bytes: number;
	files: number;
	/** When it last changed (its ctime: a restore sets mtimes from the backup, never ctimes). */
	changed: string;
	/** For a link: where it points. */
	linkTarget?: string;
};

export type ScratchListing = {root: string; exists: boolean; entries: ScratchEntry[]};

/** Folder for one test restore: <scratch>/<yyyymmdd-hhmmss>-<label>, a fresh one every time. */
export function scratchFolder(scratch: string, label: string, now: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
	const safe = label.replaceAll(/[^\w.-]+/g, '_');
	return path.join(scratch, `${stamp}-${safe}`);
}

async function measure(folder: string): Promise<{bytes: number; files: number}> {
	let bytes = 0;
	let files = 0;
	const entries = await fs.readdir(folder, {withFileTypes: true}).catch(() => []);
	for (const entry of entries) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) {
			const inner = await measure(full);
			bytes += inner.bytes;
			files += inner.files;
		} else if (entry.isFile()) {
			bytes += (await fs.lstat(full).catch(() => undefined))?.size ?? 0;
			files++;
		}
	}

	return {bytes, files};
}

async function describe(root: string, name: string): Promise<ScratchEntry | undefined> {
	const full = path.join(root, name);
	const stats = await fs.lstat(full).catch(() => undefined);
	if (!stats) {
		return undefined;
	}

	const changed = new Date(stats.ctimeMs).toISOString();
	if (stats.isSymbolicLink()) {
		return {name, path: full, kind: 'link', bytes: 0, files: 0, changed, linkTarget: await fs.readlink(full).catch(() => '?')};
	}

	if (stats.isDirectory()) {
		return {name, path: full, kind: 'folder', ...(await measure(full)), changed};
	}

	return {name, path: full, kind: 'file', bytes: stats.size, files: 1, changed};
}

/** What lies in the scratch folder now, oldest first. */
export async function listScratchAt(root: string): Promise<ScratchListing> {
	const resolved = path.resolve(root);
	const names = await fs.readdir(resolved).catch(() => undefined);
	if (!names) {
		return {root: resolved, exists: false, entries: []};
	}

	const entries = (await Promise.all(names.sort().map(async name => describe(resolved, name)))).filter(entry => entry !== undefined);
	return {root: resolved, exists: true, entries: entries.sort((a, b) => a.changed.localeCompare(b.changed) || a.name.localeCompare(b.name))};
}

/**
 * Make every folder in the tree writable by its owner (a restore may restore read-only folders),
 * and refuse a tree that reaches another filesystem: a mount point below scratch is not ours.
 */
async function prepareForRemoval(folder: string, device: number, shown: string): Promise<void> {
	const stats = await fs.lstat(folder);
	if (stats.dev !== device) {
		throw new SedaiError('unsafe-path', `${shown} holds a mount point (${folder}): Sedai does not delete across filesystems; unmount it first.`);
	}

	if ((stats.mode & 0o700) !== 0o700) {
		await fs.chmod(folder, (stats.mode & 0o7777) | 0o700);
	}

	for (const entry of await fs.readdir(folder, {withFileTypes: true})) {
		if (entry.isDirectory()) {
			await prepareForRemoval(path.join(folder, entry.name), device, shown);
		}
	}
}

/** Delete one entry of the scratch folder by its name there; refuses anything else. */
export async function deleteScratchAt(root: string, name: string): Promise<ScratchEntry> {
	if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
		throw new SedaiError('usage', `"${name}" is not the name of an entry in the scratch folder: give a name as \`sedai scratch list\` shows it.`);
	}

	const real = await fs.realpath(path.resolve(root)).catch(() => undefined);
	if (!real) {
		throw new SedaiError('not-found', `The scratch folder ${path.resolve(root)} does not exist: there is nothing to delete.`);
	}

	const entry = await describe(real, name);
	if (!entry) {
		throw new SedaiError('not-found', `There is no "${name}" in the scratch folder ${real}: \`sedai scratch list\` shows what is there.`);
	}

	if (entry.kind === 'link') {
		throw new SedaiError('unsafe-path', `"${name}" in the scratch folder is a symbolic link to ${entry.linkTarget ?? '?'}: Sedai deletes only what lies in the scratch folder itself, never what a link points to; remove the link by hand.`);
	}

	if (entry.kind === 'folder') {
		const {dev} = await fs.lstat(real);
		await prepareForRemoval(entry.path, dev, `"${name}" in the scratch folder`);
	}

	await fs.rm(entry.path, {recursive: true, force: true, maxRetries: 3});
	return entry;
}

export async function listScratch(context: OperationContext): Promise<ScratchListing> {
	return listScratchAt(context.settings().scratch);
}

export async function deleteScratch(context: OperationContext, names: string[]): Promise<{root: string; deleted: ScratchEntry[]}> {
	const {scratch} = context.settings();
	const deleted: ScratchEntry[] = [];
	for (const name of names) {
		deleted.push(await deleteScratchAt(scratch, name));
	}

	return {root: path.resolve(scratch), deleted};
}
