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
