import fs from 'node:fs';
import type {BlobLocation} from '../../source/core/repository/blob-index.js';
import {packPath} from '../../source/core/repository/layout.js';
import type {Repository} from '../../source/core/repository/repository.js';
import {makeMutable} from './trees.js';

/** What a failing disk does: one byte in the middle of a stored blob flipped, in its pack on the medium. */
export function flipStoredByte(repository: Repository, location: Pick<BlobLocation, 'packId' | 'offset' | 'length'>): void {
	const pack = packPath(repository.layout, location.packId);
	makeMutable(pack);
	const handle = fs.openSync(pack, 'r+');
	const byte = Buffer.alloc(1);
	const at = location.offset + Math.floor(location.length / 2);
	fs.readSync(handle, byte, 0, 1, at);
	byte[0] ^= 0xFF;
	fs.writeSync(handle, byte, 0, 1, at);
	fs.closeSync(handle);
}

/** One byte of any file on the medium flipped, `at` bytes from its start (negative: from its end). */
export function flipFileByte(file: string, at: number): void {
	makeMutable(file);
	const handle = fs.openSync(file, 'r+');
	const position = at < 0 ? fs.fstatSync(handle).size + at : at;
	const byte = Buffer.alloc(1);
	fs.readSync(handle, byte, 0, 1, position);
	byte[0] ^= 0xFF;
	fs.writeSync(handle, byte, 0, 1, position);
	fs.closeSync(handle);
}

/** The files of one folder of a repository (index/, generations/, or every pack under data/). */
export function repositoryFiles(repo: string, folder: 'index' | 'generations' | 'data'): string[] {
	const base = `${repo}/${folder}`;
	if (folder !== 'data') {
		return fs.readdirSync(base).filter(name => !name.startsWith('.')).sort().map(name => `${base}/${name}`);
	}

	return fs.readdirSync(base).filter(name => /^[\da-f]{2}$/.test(name)).sort().flatMap(prefix => fs.readdirSync(`${base}/${prefix}`).sort().map(name => `${base}/${prefix}/${name}`));
}
