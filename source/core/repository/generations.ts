import fs from 'node:fs/promises';
import path from 'node:path';
import {createHash} from 'node:crypto';
import {SedaiError} from '../errors.js';
import {testSeam} from '../test-seam.js';
import {contextOf, sha256, type Sealer} from './crypto.js';
import {decodeEntries, encodeEntries, type Entry, type GenerationHeader} from './manifest.js';
import {generationPath, generationSuffix, type Layout} from './layout.js';
import {writeFileAtomic} from './atomic.js';

/**
 * Sealed generations. File: magic | u32 n | sealed header (n bytes) | sealed body. The id is the
 * SHA-256 of the whole file and each header names the previous generation's id, so the chain is
 * tamper-evident even in a plaintext repository. Sealing is one atomic, exclusive file creation:
 * until the rename lands, the generation does not exist.
 */
const magic = Buffer.from('SEDAIGN1', 'latin1');

export type GenerationInfo = GenerationHeader & {
	id: string;
	shortId: string;
	fileBytes: number;
};

export function shortId(id: string): string {
	return id.slice(0, 8);
}

export async function listGenerationIds(layout: Layout): Promise<string[]> {
	let names: string[];
	try {
		names = await fs.readdir(layout.generations);
	} catch (error) {
		if ((error as {code?: string}).code === 'ENOENT') {
			return [];
		}

		throw error;
	}

	return names.filter(name => name.endsWith(generationSuffix) && /^[\da-f]{64}\.gen$/.test(name)).map(name => name.slice(0, 64));
}

function splitFile(data: Buffer, id: string): {header: Buffer; body: Buffer} {
	if (data.length < magic.length + 4 || !data.subarray(0, magic.length).equals(magic)) {
		throw new SedaiError('corrupt', `Generation ${shortId(id)} is not a Sedai generation file (bad header): it is damaged.`, {generation: id});
	}

	const headerLength = data.readUInt32LE(magic.length);
	const start = magic.length + 4;
	if (start + headerLength > data.length) {
		throw new SedaiError('corrupt', `Generation ${shortId(id)} is truncated: it is damaged.`, {generation: id});
	}

	return {header: data.subarray(start, start + headerLength), body: data.subarray(start + headerLength)};
}

function openHeader(sealer: Sealer, repositoryId: string, sealed: Buffer, id: string): GenerationHeader {
	const plain = sealer.open(sealed, contextOf('generation-header', repositoryId), `Generation ${shortId(id)}`);
	return JSON.parse(plain.toString('utf8')) as GenerationHeader;
}

/** Reads only the header: cheap enough to list hundreds of generations on a slow cartridge. */
export async function readGenerationInfo(layout: Layout, sealer: Sealer, repositoryId: string, id: string): Promise<GenerationInfo> {
	const handle = await fs.open(generationPath(layout, id), 'r');
	try {
		const {size} = await handle.stat();
		const prefix = Buffer.alloc(Math.min(size, magic.length + 4));
		await handle.read(prefix, 0, prefix.length, 0);
		const headerLength = prefix.length === magic.length + 4 ? prefix.readUInt32LE(magic.length) : 0;
		const data = Buffer.alloc(Math.min(size, prefix.length + headerLength));
		await handle.read(data, 0, data.length, 0);
		const {header} = splitFile(data, id);
		return {...openHeader(sealer, repositoryId, header, id), id, shortId: shortId(id), fileBytes: size};
	} finally {
		await handle.close();
	}
}

export type LoadedGeneration = {
	info: GenerationInfo;
	entries: Entry[];
	/** True when the file's bytes still hash to its name. */
	intact: boolean;
	/** Format 2: the tree blobs the generation uses (prune keeps them). */
	treeIds: Buffer[];
};

/** Reads a format-2 generation's trees from the repository's packs. */
export type ReadTrees = (root: Buffer, what: string) => Promise<{entries: Entry[]; treeIds: Buffer[]}>;

export async function readGeneration(layout: Layout, sealer: Sealer, repositoryId: string, id: string, readTrees?: ReadTrees): Promise<LoadedGeneration> {
	const data = await fs.readFile(generationPath(layout, id));
	const intact = createHash('sha256').update(data).digest('hex') === id;
	const {header, body} = splitFile(data, id);
	const info = {...openHeader(sealer, repositoryId, header, id), id, shortId: shortId(id), fileBytes: data.length};
	if (sha256(body).toString('hex') !== info.bodyHash) {
		throw new SedaiError('corrupt', `Generation ${shortId(id)} is damaged: its file list does not match its seal.`, {generation: id});
	}

	if (info.format === 2) {
		if (!readTrees || !info.tree || !/^[\da-f]{64}$/.test(info.tree)) {
			throw new SedaiError('corrupt', `Generation ${shortId(id)} is damaged: it names no root folder list.`, {generation: id});
		}

		return {info, intact, ...await readTrees(Buffer.from(info.tree, 'hex'), `Generation ${shortId(id)} (#${info.seq})`)};
	}

	const plain = sealer.open(body, contextOf('generation-body', repositoryId), `Generation ${shortId(id)}`);
	return {info, entries: decodeEntries(plain), intact, treeIds: []};
}

/** Format 1 seals `entries` as the body; format 2 (`header.tree` set) has an empty body. */
export async function sealGeneration(layout: Layout, sealer: Sealer, repositoryId: string, header: Omit<GenerationHeader, 'bodyHash'>, entries: Entry[]): Promise<GenerationInfo> {
	const body = header.format === 2 ? Buffer.alloc(0) : sealer.seal(encodeEntries(entries), contextOf('generation-body', repositoryId));
	const full: GenerationHeader = {...header, bodyHash: sha256(body).toString('hex')};
	const sealedHeader = sealer.seal(Buffer.from(JSON.stringify(full), 'utf8'), contextOf('generation-header', repositoryId));
	const length = Buffer.alloc(4);
	length.writeUInt32LE(sealedHeader.length);
	const file = Buffer.concat([magic, length, sealedHeader, body]);
	const id = sha256(file).toString('hex');
	await fs.mkdir(layout.generations, {recursive: true});
	await writeFileAtomic(generationPath(layout, id), file, {tmpDirectory: layout.tmp, exclusive: true, mode: 0o444, beforeCommit: async () => testSeam('seal:before-rename')});
	return {...full, id, shortId: shortId(id), fileBytes: file.length};
}

/** Tombstones keep the chain checkable after prune removed a generation on purpose. */
export type Tombstone = {
	id: string;
	seq: number;
	time: string;
	previous: string | undefined;
	prunedAt: string;
};

export async function listTombstones(layout: Layout): Promise<Map<string, Tombstone>> {
	const map = new Map<string, Tombstone>();
	let names: string[];
	try {
		names = await fs.readdir(layout.tombstones);
	} catch {
		return map;
	}

	for (const name of names) {
		if (!name.endsWith('.json')) {
			continue;
		}

		try {
			const tombstone = JSON.parse(await fs.readFile(path.join(layout.tombstones, name), 'utf8')) as Tombstone;
			map.set(tombstone.id, tombstone);
		} catch {
			// A torn tombstone only weakens the chain check; verify reports the gap.
		}
	}

	return map;
}
