import fs from 'node:fs/promises';
import {lstatSync, readdirSync, type BigIntStats} from 'node:fs';
import path from 'node:path';
import {SedaiError, isSedaiError} from '../errors.js';
import {basename, compareBytes, fromBuffer, fromText, join, toBuffer, toText, type BytePath} from '../byte-path.js';
import type {Entry, SourceRoot} from '../repository/manifest.js';

/**
 * Reads the source trees (never writes them): every name as raw bytes, lstat only (symlinks are
 * recorded, never followed), special files skipped with a warning. A source given as a symlink
 * (`ehr -> data/export`) is the one link followed: the technician named it to be backed up.
 */
export type WalkedEntry = Entry & {
	/** Entropy (bits/byte) of the file's first bytes, measured by the worker that read it (for the sentinel). */
	entropy?: number;
};

/** A file with more than one name: its inode as `dev:ino`, for hardlink detection. */
export type LinkedFile = {entry: WalkedEntry; inode: string};

export type WalkResult = {
	roots: SourceRoot[];
	/** Path-sorted. An entry keeps no absolute path (≈ 50 B per file): `sourcePathOf(roots)` gives it. */
	entries: WalkedEntry[];
	/** Only the files whose link count is above one. */
	linked: LinkedFile[];
	bytes: number;
	files: number;
};

/** Where an entry of this walk is on this machine; undefined for a path under no source (a stream). */
export function sourcePathOf(roots: SourceRoot[]): (path: BytePath) => BytePath | undefined {
	const byName = new Map(roots.map(root => [root.name, root.path]));
	return path => {
		const slash = path.indexOf('/');
		const base = byName.get(slash === -1 ? path : path.slice(0, slash));
		if (base === undefined) {
			return undefined;
		}

		const rest = slash === -1 ? '' : path.slice(slash);
		return base === '/' ? rest || '/' : base + rest;
	};
}

type Warn = (code: string, message: string, path?: string) => void;

/**
 * The walk runs beside the opening of the repositories, a chain of small awaits (config, key
 * file, lock, index) that each wait for the walk to yield: short slices let the key derivation
 * start within milliseconds instead of after the walk.
 */
const yieldAfterMs = 3;

export async function walkSources(sources: string[], warn: Warn, onProgress: (files: number, bytes: number) => void, signal?: AbortSignal, exclude: string[] = []): Promise<WalkResult> {
	// The repository itself may sit inside a source (a second disk mounted below /srv): never
	// back a repository up into itself.
	const excluded = new Set(exclude.map(folder => fromText(path.resolve(folder))));
	const roots: SourceRoot[] = [];
	const entries: WalkedEntry[] = [];
	const linked: LinkedFile[] = [];
	const usedNames = new Set<BytePath>();
	let files = 0;
	let bytes = 0;

	const record = (absolute: BytePath, relative: BytePath, stats: BigIntStats): WalkedEntry | undefined => {
		const type = typeOf(stats);
		if (!type) {
			warn('special-file', `Skipped ${toText(absolute)}: sockets, pipes and device files are not backed up.`, toText(absolute));
			return undefined;
		}

		const size = type === 'file' ? Number(stats.size) : 0;
		if (type === 'file') {
			files++;
			bytes += size;
		}

		// One literal with every field, in one order: V8 then shares one hidden class among all
		// entries. `{...base, type}` gave each of 200,000 entries a map of its own (≈ 400 B apiece).
		const entry: WalkedEntry = {
			path: relative,
			type,
			mode: Number(stats.mode & 0o7777n),
			uid: Number(stats.uid),
			gid: Number(stats.gid),
			mtimeNs: stats.mtimeNs,
			ctimeNs: stats.ctimeNs,
			ino: Number(stats.ino),
			size,
			// Filled in later (chunk list, content hash, link target, sampled entropy): declared here
			// so they live inside the object, not in a property array added to each entry (≈ 40 B).
			chunks: undefined,
			sha256: undefined,
			target: undefined,
			entropy: undefined,
		};
		if (type === 'file' && stats.nlink > 1n) {
			linked.push({entry, inode: `${stats.dev}:${stats.ino}`});
		}

		return entry;
	};

	for (const source of sources) {
		const absoluteText = path.resolve(source);
		let stats: BigIntStats;
		try {
			stats = await sourceStats(absoluteText, warn);
		} catch (error) {
			if (isSedaiError(error)) {
				throw error;
			}

			const {code} = (error as {code?: string});
			throw new SedaiError('source-unreadable', code === 'ENOENT'
				? `The source ${absoluteText} does not exist: check the path in the command or the site's settings.`
				: `The source ${absoluteText} cannot be read (${code ?? String(error)}): run as a user who may read it.`);
		}

		const absolute = fromText(absoluteText);
		let name = basename(absolute) || fromText('root');
		for (let n = 2; usedNames.has(name); n++) {
			name = `${basename(absolute) || fromText('root')}-${n}`;
		}

		usedNames.add(name);
		roots.push({name, path: absolute});
		const rootEntry = record(absolute, name, stats);
		if (!rootEntry) {
			continue;
		}

		entries.push(rootEntry);
		if (rootEntry.type !== 'dir') {
			continue;
		}

		// Synchronous metadata calls are ~10x faster than promise round trips on this hot path; the
		// walk yields every few milliseconds so progress, keys and the repositories' opening stay live.
		const stack: Array<{absolute: BytePath; relative: BytePath}> = [{absolute, relative: name}];
		let lastYield = performance.now();
		while (stack.length > 0) {
			if (signal?.aborted) {
				break;
			}

			const directory = stack.pop()!;
			let names: Buffer[];
			try {
				names = readdirSync(toBuffer(directory.absolute), {encoding: 'buffer'});
			} catch (error) {
				warn('unreadable', `Could not read the folder ${toText(directory.absolute)} (${(error as {code?: string}).code ?? String(error)}): its contents are not in this generation.`, toText(directory.absolute));
				continue;
			}

			for (const raw of names) {
				const childName = fromBuffer(raw);
				const childAbsolute = directory.absolute === '/' ? `/${childName}` : `${directory.absolute}/${childName}`;
				let childStats: BigIntStats;
				try {
					childStats = lstatSync(toBuffer(childAbsolute), {bigint: true});
				} catch (error) {
					if ((error as {code?: string}).code !== 'ENOENT') {
						warn('unreadable', `Could not read ${toText(childAbsolute)} (${(error as {code?: string}).code ?? String(error)}): skipped.`, toText(childAbsolute));
					}

					continue;
				}

				if (excluded.has(childAbsolute)) {
					warn('excluded', `Skipped ${toText(childAbsolute)}: it is the repository being written.`, toText(childAbsolute));
					continue;
				}

				const entry = record(childAbsolute, join(directory.relative, childName), childStats);
				if (entry) {
					entries.push(entry);
					if (entry.type === 'dir') {
						stack.push({absolute: childAbsolute, relative: entry.path});
					}
				}
			}

			if (performance.now() - lastYield > yieldAfterMs) {
				onProgress(files, bytes);

				await new Promise(resolve => {
					setImmediate(resolve);
				});
				lastYield = performance.now();
			}
		}
	}

	entries.sort((a, b) => compareBytes(a.path, b.path));
	linked.sort((a, b) => compareBytes(a.entry.path, b.entry.path));
	return {roots, entries, linked, bytes, files};
}

function typeOf(stats: BigIntStats): 'file' | 'dir' | 'symlink' | undefined {
	if (stats.isFile()) {
		return 'file';
	}

	if (stats.isDirectory()) {
		return 'dir';
	}

	return stats.isSymbolicLink() ? 'symlink' : undefined;
}

/** A source's own stats; a symlink is followed (and said so), else it would back up one link and no data. */
async function sourceStats(absolute: string, warn: Warn): Promise<BigIntStats> {
	const own = await fs.lstat(absolute, {bigint: true});
	if (!own.isSymbolicLink()) {
		return own;
	}

	const target = await fs.readlink(absolute);
	try {
		const followed = await fs.stat(absolute, {bigint: true});
		warn('source-symlink', `The source ${absolute} is a symlink to ${target}: backed up what it names, stored as "${path.basename(absolute)}".`, absolute);
		return followed;
	} catch (error) {
		throw new SedaiError('source-unreadable', `The source ${absolute} is a symlink to ${target}, which cannot be read (${(error as {code?: string}).code ?? String(error)}): check the link or give the folder itself.`);
	}
}
