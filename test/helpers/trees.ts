import fs from 'node:fs';
import path from 'node:path';
import {createHash, randomBytes} from 'node:crypto';
import os from 'node:os';
import {spawnSync} from 'node:child_process';

/** Temporary folders that tests clean up after themselves. */
export function temporaryDirectory(prefix = 'sedai-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Remove a test folder even though Sedai made its sealed files immutable (chattr +i, as root on
 * ext4): lifting that first is exactly what a technician would have to do, too.
 */
/** Bytes in every file under a folder (what a backup added to a repository, measured from outside). */
export function bytesUnder(folder: string): number {
	let total = 0;
	for (const entry of fs.readdirSync(folder, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) {
			total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
		}
	}

	return total;
}

export function removeTree(directory: string): void {
	try {
		fs.rmSync(directory, {recursive: true, force: true});
	} catch {
		spawnSync('chattr', ['-R', '-i', directory], {stdio: 'ignore'});
		fs.rmSync(directory, {recursive: true, force: true});
	}
}

/** Lift immutability from one file (to tamper with it on purpose). */
export function makeMutable(file: string): void {
	spawnSync('chattr', ['-i', file], {stdio: 'ignore'});
	fs.chmodSync(file, 0o644);
}

export type TreeEntry = {
	type: 'file' | 'dir' | 'symlink';
	mode: number;
	size: number;
	mtimeMs: number;
	hash?: string;
	target?: string;
	ino: number;
};

/** Every entry below `root`, keyed by its relative path in raw bytes (hex, to keep NFD and bad UTF-8 distinct). */
export function snapshotTree(root: string): Map<string, TreeEntry> {
	const result = new Map<string, TreeEntry>();
	const visit = (directory: Buffer, relative: Buffer) => {
		for (const name of fs.readdirSync(directory, {encoding: 'buffer'})) {
			const full = Buffer.concat([directory, Buffer.from('/'), name]);
			const rel = relative.length > 0 ? Buffer.concat([relative, Buffer.from('/'), name]) : name;
			const stats = fs.lstatSync(full);
			const key = rel.toString('hex');
			if (stats.isDirectory()) {
				result.set(key, {type: 'dir', mode: stats.mode & 0o7777, size: 0, mtimeMs: stats.mtimeMs, ino: stats.ino});
				visit(full, rel);
			} else if (stats.isSymbolicLink()) {
				result.set(key, {type: 'symlink', mode: 0, size: 0, mtimeMs: stats.mtimeMs, target: fs.readlinkSync(full, {encoding: 'buffer'}).toString('hex'), ino: stats.ino});
			} else {
				const hash = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
				result.set(key, {type: 'file', mode: stats.mode & 0o7777, size: stats.size, mtimeMs: stats.mtimeMs, hash, ino: stats.ino});
			}
		}
	};

	visit(Buffer.from(root), Buffer.alloc(0));
	return result;
}

export function displayName(hexKey: string): string {
	return Buffer.from(hexKey, 'hex').toString('utf8');
}

/**
 * A tree with everything that breaks naive backup tools: NFC and NFD Japanese names, spaces,
 * a newline and invalid UTF-8 in names, odd modes, old and fractional mtimes, symlinks
 * (relative, absolute, dangling), hardlinks, empty files and folders, and files around the
 * engine's size boundaries (1 MiB whole-file limit, 32 MiB segments).
 */
export function makeTrickyTree(root: string, options: {large?: boolean} = {}): void {
	const at = (...parts: Array<string | Buffer>) => Buffer.concat([Buffer.from(root), ...parts.map(part => Buffer.concat([Buffer.from('/'), Buffer.isBuffer(part) ? part : Buffer.from(part)]))]);
	fs.mkdirSync(root, {recursive: true});
	fs.mkdirSync(at('診療記録'));
	// Voiced kana decompose under NFD (ダ → タ + ゛): two different names on Linux.
	fs.writeFileSync(at('診療記録', 'データ_ガイド.txt'.normalize('NFC')), 'NFC name\n');
	fs.writeFileSync(at('診療記録', 'データ_ガイド.txt'.normalize('NFD')), 'NFD name (a different file on Linux)\n');
	fs.writeFileSync(at('name with  spaces .txt'), 'spaces\n');
	fs.writeFileSync(at('line\nbreak.txt'), 'newline in name\n');
	fs.writeFileSync(at(Buffer.from([0x62, 0x61, 0x64, 0xFF, 0xFE, 0x2E, 0x62, 0x69, 0x6E])), 'invalid utf-8 name\n');
	fs.writeFileSync(at('empty.txt'), '');
	fs.mkdirSync(at('empty dir'));
	fs.mkdirSync(at('deep', 'a', 'b', 'c'), {recursive: true});
	fs.writeFileSync(at('deep', 'a', 'b', 'c', 'leaf.txt'), 'leaf\n');
	fs.writeFileSync(at('script.sh'), '#!/bin/sh\necho hi\n', {mode: 0o751});
	fs.chmodSync(at('script.sh'), 0o751);
	fs.writeFileSync(at('private.txt'), 'secret\n');
	fs.chmodSync(at('private.txt'), 0o600);
	fs.mkdirSync(at('restricted'), {mode: 0o750});
	fs.chmodSync(at('restricted'), 0o750);
	fs.writeFileSync(at('restricted', 'inside.txt'), 'inside\n');
	fs.symlinkSync('診療記録/データ_ガイド.txt', at('relative-link'));
	fs.symlinkSync('/etc/hostname', at('absolute-link'));
	fs.symlinkSync('does/not/exist', at('dangling-link'));
	fs.writeFileSync(at('hard-a.txt'), 'shared by two names\n');
	fs.linkSync(at('hard-a.txt'), at('hard-b.txt'));
	// Around the size boundaries: just over 1 MiB (chunked, one segment) and, optionally, over 32 MiB (two segments).
	fs.writeFileSync(at('dump-3mb.sql'), Buffer.concat([Buffer.from('INSERT INTO t VALUES (1);\n'.repeat(40_000)), randomBytes(2 * 1024 * 1024)]));
	if (options.large) {
		fs.writeFileSync(at('dump-40mb.bin'), Buffer.concat([randomBytes(20 * 1024 * 1024), Buffer.from('text row\n'.repeat(2_400_000))]));
	}

	fs.utimesSync(at('private.txt'), new Date('2001-02-03T04:05:06.789Z'), new Date('2001-02-03T04:05:06.789Z'));
	fs.utimesSync(at('empty dir'), new Date('2010-01-01T00:00:00Z'), new Date('2010-01-01T00:00:00Z'));
}

export function writeRandomFile(file: string, bytes: number): void {
	fs.mkdirSync(path.dirname(file), {recursive: true});
	const handle = fs.openSync(file, 'w');
	const block = 4 * 1024 * 1024;
	for (let done = 0; done < bytes; done += block) {
		fs.writeSync(handle, randomBytes(Math.min(block, bytes - done)));
	}

	fs.closeSync(handle);
}

/** A snapshot without inode numbers and with mtimes to the millisecond (what restore promises). */
export function comparableTree(root: string): Record<string, Omit<TreeEntry, 'ino'>> {
	const result: Record<string, Omit<TreeEntry, 'ino'>> = {};
	for (const [key, {ino: _ino, ...entry}] of snapshotTree(root)) {
		result[displayName(key) + (Buffer.from(displayName(key)).toString('hex') === key ? '' : ` [${key}]`)] = {...entry, mtimeMs: entry.type === 'symlink' ? 0 : Math.floor(entry.mtimeMs)};
	}

	return result;
}
