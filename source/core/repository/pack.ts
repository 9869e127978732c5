import fs from 'node:fs/promises';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {testSeam} from '../test-seam.js';
import {contextOf, type Sealer} from './crypto.js';
import {RecordList, decodePackRecords, encodePackRecords, type PackRecord, type PackedRecords} from './blob-index.js';
import {type Layout, packPath} from './layout.js';
import {ensureDirectory, syncDirectory, temporaryName} from './atomic.js';

/**
 * A pack is many blobs in one file, so 20,000 small documents become a handful of files on the
 * cartridge. Layout: magic | blobs | sealed trailer (the pack's own blob list) | u32 length |
 * end magic. The trailer makes a pack self-describing: a pack left by an interrupted run, whose
 * index was never written, is found and reused by the next run.
 */
export const packMagic = Buffer.from('SEDAIPK1', 'latin1');
export const packEndMagic = Buffer.from('SEDAIPKE', 'latin1');
export const packTargetSize = 16 * 1024 * 1024;

export function newPackId(): string {
	return randomBytes(16).toString('hex');
}

type PendingBlob = {id: Uint8Array; data: Uint8Array; rawLength: number; flags: number};

type OpenPack = {
	packId: string;
	temporary: string;
	handle: fs.FileHandle;
	records: RecordList;
	size: number;
	/** Blobs not yet handed to the OS: written in batches of ~1 MiB. */
	batch: Uint8Array[];
	batchBytes: number;
	/** Blob bytes in `batch` (what `unwritten` counts). */
	batchBlobBytes: number;
	/** Sequential writes of this pack. */
	chain: Promise<void>;
};

const batchLimit = 1024 * 1024;

/**
 * Streams blobs into pack files: small batched writes, so memory stays flat however slow the
 * medium; a full pack is closed (trailer, fsync, rename into data/) while the next one fills.
 */
export class PackWriter {
	readonly written: PackedRecords[] = [];
	readonly touchedDirectories = new Set<string>();
	bytesWritten = 0;
	private current: OpenPack | undefined;
	private unwritten = 0;
	private readonly closing = new Set<Promise<void>>();
	private readonly temporaries = new Set<string>();
	private failure: unknown;

	constructor(
		private readonly layout: Layout,
		private readonly sealer: Sealer,
		private readonly targetSize = packTargetSize,
		private readonly maxUnwritten = 8 * 1024 * 1024,
	) {}

	/** Queue a blob; resolves once memory is available again (backpressure on slow media). */
	async add(blob: PendingBlob): Promise<void> {
		this.throwIfFailed();
		const pack = this.current ?? await this.open();
		pack.records.push({id: blob.id, offset: pack.size, length: blob.data.length, rawLength: blob.rawLength, flags: blob.flags});
		pack.size += blob.data.length;
		pack.batch.push(blob.data);
		pack.batchBytes += blob.data.length;
		pack.batchBlobBytes += blob.data.length;
		this.unwritten += blob.data.length;
		if (pack.batchBytes >= batchLimit) {
			this.writeBatch(pack);
		}

		if (pack.size >= this.targetSize) {
			this.current = undefined;
			await this.close(pack);
		}

		if (this.unwritten > this.maxUnwritten) {
			await pack.chain;
		}

		this.throwIfFailed();
	}

	/** Write what is buffered, wait for every pack, and make their folders durable. */
	async finish(): Promise<PackedRecords[]> {
		if (this.current) {
			const pack = this.current;
			this.current = undefined;
			await this.close(pack);
		}

		await Promise.all(this.closing);
		this.throwIfFailed();
		for (const directory of this.touchedDirectories) {
			await syncDirectory(directory);
		}

		if (this.written.length > 0) {
			await syncDirectory(this.layout.data);
		}

		return this.written;
	}

	/** Stop and remove half-written temp files; finished packs stay for reuse. */
	async abandon(): Promise<void> {
		const pack = this.current;
		this.current = undefined;
		if (pack) {
			await pack.chain.catch(() => undefined);
			await pack.handle.close().catch(() => undefined);
		}

		await Promise.allSettled(this.closing);
		for (const temporary of this.temporaries) {
			await fs.rm(temporary, {force: true}).catch(() => undefined);
		}
	}

	private async open(): Promise<OpenPack> {
		const packId = newPackId();
		const temporary = temporaryName(this.layout.tmp, packId);
		const handle = await fs.open(temporary, 'wx', 0o444);
		this.temporaries.add(temporary);
		const pack: OpenPack = {packId, temporary, handle, records: new RecordList(), size: packMagic.length, batch: [packMagic], batchBytes: packMagic.length, batchBlobBytes: 0, chain: Promise.resolve()};
		this.current = pack;
		return pack;
	}

	private writeBatch(pack: OpenPack): void {
		const buffers = pack.batch;
		const bytes = pack.batchBlobBytes;
		pack.batch = [];
		pack.batchBytes = 0;
		pack.batchBlobBytes = 0;
		pack.chain = pack.chain.then(async () => {
			await pack.handle.writev(buffers);
		}).catch((error: unknown) => {
			this.failure ??= error;
		}).finally(() => {
			this.unwritten -= bytes;
		});
	}

	private async close(pack: OpenPack): Promise<void> {
		const record = pack.records.packed(pack.packId);
		const trailer = this.sealer.seal(encodePackRecords([record]), contextOf('pack', pack.packId));
		const length = Buffer.alloc(4);
		length.writeUInt32LE(trailer.length);
		pack.batch.push(trailer, length, packEndMagic);
		pack.batchBytes += trailer.length + 4 + packEndMagic.length;
		const size = pack.size + trailer.length + 4 + packEndMagic.length;
		this.writeBatch(pack);
		// Bound the packs being closed at once: each holds an fsync in flight.
		while (this.closing.size >= 2) {
			await Promise.race(this.closing);
		}

		const promise = pack.chain.then(async () => {
			this.throwIfFailed();
			await pack.handle.sync();
			await pack.handle.close();
			const destination = packPath(this.layout, pack.packId);
			const directory = path.dirname(destination);
			await ensureDirectory(directory);
			await fs.rename(pack.temporary, destination);
			this.temporaries.delete(pack.temporary);
			this.touchedDirectories.add(directory);
			this.written.push(record);
			this.bytesWritten += size;
			await testSeam('pack:renamed');
		}).catch(async (error: unknown) => {
			this.failure ??= error;
			await pack.handle.close().catch(() => undefined);
		}).finally(() => {
			this.closing.delete(promise);
		});
		this.closing.add(promise);
	}

	private throwIfFailed(): void {
		if (this.failure) {
			throw this.failure;
		}
	}
}

/** Read a pack's own blob list from its trailer (for packs no index knows). */
export async function readPackTrailer(layout: Layout, sealer: Sealer, packId: string): Promise<PackRecord> {
	const handle = await fs.open(packPath(layout, packId), 'r');
	try {
		const {size} = await handle.stat();
		const tail = Buffer.alloc(4 + packEndMagic.length);
		if (size < packMagic.length + tail.length) {
			throw new Error('pack too short');
		}

		await handle.read(tail, 0, tail.length, size - tail.length);
		if (!tail.subarray(4).equals(packEndMagic)) {
			throw new Error('pack end marker missing');
		}

		const trailerLength = tail.readUInt32LE(0);
		const trailerStart = size - tail.length - trailerLength;
		if (trailerStart < packMagic.length) {
			throw new Error('pack trailer length out of range');
		}

		const trailer = Buffer.alloc(trailerLength);
		await handle.read(trailer, 0, trailerLength, trailerStart);
		const plain = sealer.open(trailer, contextOf('pack', packId), `Pack ${packId}`);
		const [record] = decodePackRecords(plain);
		if (record?.packId !== packId) {
			throw new Error('pack trailer names another pack');
		}

		return record;
	} finally {
		await handle.close();
	}
}

/** All pack ids present in data/ (two-level fan-out). */
export async function listPackIds(layout: Layout): Promise<string[]> {
	const ids: string[] = [];
	let prefixes: string[];
	try {
		prefixes = await fs.readdir(layout.data);
	} catch (error) {
		if ((error as {code?: string}).code === 'ENOENT') {
			return ids;
		}

		throw error;
	}

	for (const prefix of prefixes.sort()) {
		if (!/^[\da-f]{2}$/.test(prefix)) {
			continue;
		}

		const names = await fs.readdir(path.join(layout.data, prefix));
		for (const name of names) {
			if (/^[\da-f]{32}$/.test(name) && name.startsWith(prefix)) {
				ids.push(name);
			}
		}
	}

	return ids;
}
