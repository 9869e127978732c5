import {PackReads} from './pack-reads.js';

/**
 * Pack bytes read in aligned blocks and kept (least recently used out), for the many small
 * reads of folder trees: a generation of 4,000 folders is 4,000 tree blobs of a few hundred
 * bytes, stored side by side in a tree pack, and one 256 KiB read serves hundreds of them.
 * Packs never change once written, so a kept block cannot go stale.
 */
export class PackBlocks {
	private readonly blocks = new Map<string, Promise<Buffer>>();

	constructor(
		private readonly reads = new PackReads(),
		private readonly blockSize = 256 * 1024,
		private readonly maxBlocks = 64,
	) {}

	/** Fill `buffer` from `position` of the file; returns the bytes read (short at the end). */
	async read(file: string, buffer: Uint8Array, position: number): Promise<number> {
		if (buffer.length > this.blockSize) {
			return this.reads.read(file, buffer, position);
		}

		const first = Math.floor(position / this.blockSize);
		const last = Math.floor((position + Math.max(buffer.length, 1) - 1) / this.blockSize);
		let filled = 0;
		for (let index = first; index <= last; index++) {
			const block = await this.block(file, index);
			const start = Math.max(0, position + filled - (index * this.blockSize));
			const copied = block.copy(buffer, filled, start, Math.min(block.length, start + buffer.length - filled));
			filled += copied;
			if (block.length < this.blockSize) {
				break;
			}
		}

		return filled;
	}

	private async block(file: string, index: number): Promise<Buffer> {
		const key = `${index}:${file}`;
		const kept = this.blocks.get(key);
		if (kept) {
			this.blocks.delete(key);
			this.blocks.set(key, kept);
			return kept;
		}

		const reading = (async () => {
			const block = Buffer.allocUnsafe(this.blockSize);
			const bytes = await this.reads.read(file, block, index * this.blockSize);
			return block.subarray(0, bytes);
		})();
		this.blocks.set(key, reading);
		reading.catch(() => {
			this.blocks.delete(key);
		});
		if (this.blocks.size > this.maxBlocks) {
			this.blocks.delete(this.blocks.keys().next().value!);
		}

		return reading;
	}
}
