/**
 * The in-memory map from blob id to where it lives. Typed arrays with open addressing instead of a
 * Map of objects: about 60 bytes per blob, so millions of chunks of a large database stay cheap.
 */
export type BlobLocation = {
	packId: string;
	offset: number;
	length: number;
	rawLength: number;
	flags: number;
};

export type BlobRecord = {
	id: Uint8Array;
	offset: number;
	length: number;
	rawLength: number;
	flags: number;
};

export type PackRecord = {
	packId: string;
	blobs: BlobRecord[];
};

/**
 * A pack's blob list as the index stores it (45 bytes a blob): what a backup holds for every pack
 * it wrote until the index file is written. As objects, 200,000 small files cost ≈ 40 MB more.
 */
export type PackedRecords = {
	packId: string;
	count: number;
	records: Uint8Array;
};

export const idLength = 32;

export class BlobIndex {
	readonly packIds: string[] = [];
	private readonly packNumbers = new Map<string, number>();
	private ids = new Uint8Array(0);
	private packs = new Uint32Array(0);
	private offsets = new Uint32Array(0);
	private lengths = new Uint32Array(0);
	private rawLengths = new Uint32Array(0);
	private flagBytes = new Uint8Array(0);
	private table = new Int32Array(0);
	private mask = 0;
	private count = 0;
	private capacity = 0;

	constructor(capacity = 1024) {
		this.grow(capacity);
	}

	get size(): number {
		return this.count;
	}

	has(id: Uint8Array): boolean {
		return this.find(id) >= 0;
	}

	get(id: Uint8Array): BlobLocation | undefined {
		const slot = this.find(id);
		if (slot < 0) {
			return undefined;
		}

		return {
			packId: this.packIds[this.packs[slot]],
			offset: this.offsets[slot],
			length: this.lengths[slot],
			rawLength: this.rawLengths[slot],
			flags: this.flagBytes[slot],
		};
	}

	/** Adds unless present; returns false for a duplicate (the first location wins). */
	add(id: Uint8Array, location: BlobLocation): boolean {
		if (this.find(id) >= 0) {
			return false;
		}

		if (this.count >= this.capacity) {
			this.grow((this.count * 2) + 16);
		}

		const slot = this.count++;
		this.ids.set(id, slot * idLength);
		this.packs[slot] = this.packNumber(location.packId);
		this.offsets[slot] = location.offset;
		this.lengths[slot] = location.length;
		this.rawLengths[slot] = location.rawLength;
		this.flagBytes[slot] = location.flags;
		this.insert(slot);
		return true;
	}

	addPack(pack: PackRecord): void {
		for (const blob of pack.blobs) {
			this.add(blob.id, {packId: pack.packId, offset: blob.offset, length: blob.length, rawLength: blob.rawLength, flags: blob.flags});
		}
	}

	/** All ids, concatenated: what workers need to skip known chunks. */
	idBytes(): Uint8Array {
		return this.ids.slice(0, this.count * idLength);
	}

	* entries(): Generator<[Uint8Array, BlobLocation]> {
		for (let slot = 0; slot < this.count; slot++) {
			yield [this.ids.subarray(slot * idLength, (slot + 1) * idLength), {
				packId: this.packIds[this.packs[slot]],
				offset: this.offsets[slot],
				length: this.lengths[slot],
				rawLength: this.rawLengths[slot],
				flags: this.flagBytes[slot],
			}];
		}
	}

	hasPack(packId: string): boolean {
		return this.packNumbers.has(packId);
	}

	private packNumber(packId: string): number {
		let number = this.packNumbers.get(packId);
		if (number === undefined) {
			number = this.packIds.length;
			this.packIds.push(packId);
			this.packNumbers.set(packId, number);
		}

		return number;
	}

	private find(id: Uint8Array): number {
		let position = hashOf(id) & this.mask;
		for (;;) {
			const slot = this.table[position];
			if (slot === -1) {
				return -1;
			}

			if (this.sameId(slot, id)) {
				return slot;
			}

			position = (position + 1) & this.mask;
		}
	}

	private sameId(slot: number, id: Uint8Array): boolean {
		const base = slot * idLength;
		for (let i = 0; i < idLength; i++) {
			if (this.ids[base + i] !== id[i]) {
				return false;
			}
		}

		return true;
	}

	private insert(slot: number): void {
		let position = hashOf(this.ids.subarray(slot * idLength, (slot + 1) * idLength)) & this.mask;
		while (this.table[position] !== -1) {
			position = (position + 1) & this.mask;
		}

		this.table[position] = slot;
	}

	private grow(capacity: number): void {
		const copy = <T extends Uint8Array | Uint32Array>(old: T, make: (n: number) => T, size: number): T => {
			const next = make(size);
			next.set(old.subarray(0, Math.min(old.length, size)));
			return next;
		};

		this.ids = copy(this.ids, n => new Uint8Array(n), capacity * idLength);
		this.packs = copy(this.packs, n => new Uint32Array(n), capacity);
		this.offsets = copy(this.offsets, n => new Uint32Array(n), capacity);
		this.lengths = copy(this.lengths, n => new Uint32Array(n), capacity);
		this.rawLengths = copy(this.rawLengths, n => new Uint32Array(n), capacity);
		this.flagBytes = copy(this.flagBytes, n => new Uint8Array(n), capacity);
		let tableSize = 16;
		while (tableSize < capacity * 2) {
			tableSize *= 2;
		}

		this.capacity = capacity;
		this.table = new Int32Array(tableSize).fill(-1);
		this.mask = tableSize - 1;
		for (let slot = 0; slot < this.count; slot++) {
			this.insert(slot);
		}
	}
}

/** Ids are SHA-256 outputs, so their first bytes are already uniformly spread. */
function hashOf(id: Uint8Array): number {
	return ((id[0] << 24) | (id[1] << 16) | (id[2] << 8) | id[3]) >>> 0;
}

/** A set of ids only, for workers deciding which chunks are new. */
export class IdSet {
	private readonly index: BlobIndex;
	private static readonly nowhere: BlobLocation = {packId: '', offset: 0, length: 0, rawLength: 0, flags: 0};

	constructor(idBytes: Uint8Array) {
		const count = idBytes.length / idLength;
		this.index = new BlobIndex(count + 1024);
		for (let i = 0; i < count; i++) {
			this.index.add(idBytes.subarray(i * idLength, (i + 1) * idLength), IdSet.nowhere);
		}
	}

	get size(): number {
		return this.index.size;
	}

	has(id: Uint8Array): boolean {
		return this.index.has(id);
	}

	add(id: Uint8Array): boolean {
		return this.index.add(id, IdSet.nowhere);
	}
}

const recordLength = idLength + 13;

/** A growing pack's blob list in index layout (see PackedRecords). */
export class RecordList {
	private bytes = Buffer.alloc(64 * recordLength);
	private count = 0;

	push(blob: BlobRecord): void {
		if ((this.count + 1) * recordLength > this.bytes.length) {
			const grown = Buffer.alloc(this.bytes.length * 2);
			grown.set(this.bytes);
			this.bytes = grown;
		}

		writeRecord(this.bytes, this.count * recordLength, blob);
		this.count++;
	}

	/** The list as it stands, trimmed to its records. */
	packed(packId: string): PackedRecords {
		return {packId, count: this.count, records: Buffer.from(this.bytes.subarray(0, this.count * recordLength))};
	}
}

function writeRecord(out: Buffer, at: number, blob: BlobRecord): void {
	out.set(blob.id, at);
	out.writeUInt32LE(blob.offset, at + 32);
	out.writeUInt32LE(blob.length, at + 36);
	out.writeUInt32LE(blob.rawLength, at + 40);
	out.writeUInt8(blob.flags, at + 44);
}

function isPacked(pack: PackRecord | PackedRecords): pack is PackedRecords {
	return 'records' in pack;
}

export function encodePackRecords(packs: ReadonlyArray<PackRecord | PackedRecords>): Buffer {
	let size = 8;
	for (const pack of packs) {
		size += 16 + 4 + ((isPacked(pack) ? pack.count : pack.blobs.length) * recordLength);
	}

	const out = Buffer.alloc(size);
	out.writeUInt32LE(1, 0);
	out.writeUInt32LE(packs.length, 4);
	let at = 8;
	for (const pack of packs) {
		out.write(pack.packId, at, 16, 'hex');
		at += 20;
		if (isPacked(pack)) {
			out.writeUInt32LE(pack.count, at - 4);
			out.set(pack.records.subarray(0, pack.count * recordLength), at);
			at += pack.count * recordLength;
			continue;
		}

		out.writeUInt32LE(pack.blobs.length, at - 4);
		for (const blob of pack.blobs) {
			writeRecord(out, at, blob);
			at += recordLength;
		}
	}

	return out;
}

export function decodePackRecords(data: Buffer): PackRecord[] {
	if (data.length < 8 || data.readUInt32LE(0) !== 1) {
		throw new Error('unknown index record format');
	}

	const packCount = data.readUInt32LE(4);
	const packs: PackRecord[] = [];
	let at = 8;
	for (let p = 0; p < packCount; p++) {
		const packId = data.toString('hex', at, at + 16);
		const blobCount = data.readUInt32LE(at + 16);
		at += 20;
		if (at + (blobCount * recordLength) > data.length) {
			throw new Error('truncated index record');
		}

		const blobs: BlobRecord[] = [];
		for (let b = 0; b < blobCount; b++) {
			blobs.push({
				id: data.subarray(at, at + 32),
				offset: data.readUInt32LE(at + 32),
				length: data.readUInt32LE(at + 36),
				rawLength: data.readUInt32LE(at + 40),
				flags: data.readUInt8(at + 44),
			});
			at += recordLength;
		}

		packs.push({packId, blobs});
	}

	return packs;
}
