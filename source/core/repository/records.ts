import fs from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from './atomic.js';
import type {Repository} from './repository.js';

/**
 * Records kept on the medium next to its generations (drill reports), sealed under the
 * repository key like the generations: an edited or damaged record is found by `sedai verify`
 * instead of being believed. Plaintext repositories get a SHA-256 seal (catches damage and a
 * careless edit, not a forger: encrypt cartridges that leave the room).
 */
export type RecordKind = 'drills' | 'verifications';

export type ReadRecord = {name: string; data?: unknown; damaged?: string};

function folderOf(repository: Repository, kind: RecordKind): string {
	return path.join(repository.root, kind);
}

function contextOf(repository: Repository, kind: RecordKind, name: string): Buffer {
	return Buffer.from(`sedai-record:${repository.id}:${kind}/${name}`);
}

export async function writeRecord(repository: Repository, kind: RecordKind, name: string, data: unknown): Promise<string> {
	const folder = folderOf(repository, kind);
	await fs.mkdir(folder, {recursive: true});
	const sealed = repository.sealer.seal(Buffer.from(JSON.stringify(data)), contextOf(repository, kind, name));
	const file = path.join(folder, name);
	await writeFileAtomic(file, sealed, {tmpDirectory: repository.layout.tmp, mode: 0o444});
	return file;
}

/** One record by name; undefined when there is none. */
export async function readRecord(repository: Repository, kind: RecordKind, name: string): Promise<ReadRecord | undefined> {
	let sealed: Buffer;
	try {
		sealed = await fs.readFile(path.join(folderOf(repository, kind), name));
	} catch (error) {
		if ((error as {code?: string}).code === 'ENOENT') {
			return undefined;
		}

		return {name, damaged: error instanceof Error ? error.message : String(error)};
	}

	return openRecord(repository, kind, name, sealed);
}

function openRecord(repository: Repository, kind: RecordKind, name: string, sealed: Buffer): ReadRecord {
	try {
		const plain = repository.sealer.tryOpen(sealed, contextOf(repository, kind, name));
		return plain ? {name, data: JSON.parse(plain.toString('utf8')) as unknown} : {name, damaged: 'does not match its seal: it was edited or damaged'};
	} catch (error) {
		return {name, damaged: error instanceof Error ? error.message : String(error)};
	}
}

export async function readRecords(repository: Repository, kind: RecordKind): Promise<ReadRecord[]> {
	const folder = folderOf(repository, kind);
	const names = await fs.readdir(folder).catch(() => [] as string[]);
	const records: ReadRecord[] = [];
	for (const name of names.filter(item => !item.startsWith('.')).sort()) {
		const found = await readRecord(repository, kind, name);
		if (found) {
			records.push(found);
		}
	}

	return records;
}
