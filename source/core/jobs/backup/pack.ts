import {IdSet, type BlobIndex, type PackedRecords} from '../../repository/blob-index.js';
import type {PackWriter} from '../../repository/pack.js';
import type {BlobsMessage, NewBlob} from '../../workers/protocol.js';

/**
 * Pack: one repository's new blobs, in arrival order, into its pack writer. Writes run on a
 * chain behind the workers; `queuedBytes` is what the coordinator throttles on. A write failure
 * (full or failing medium) is kept, stops this repository's writes and is reported once.
 * Folder trees go to packs of their own (as restic keeps tree and data packs apart): a data
 * pack that becomes unreadable then costs the files it holds, never a generation's file list.
 */
export class BlobSink {
	newBytes = 0;
	newBlobs = 0;
	queuedBytes = 0;
	failure: unknown;
	private readonly runIds = new IdSet(new Uint8Array(0));
	private chain: Promise<void> = Promise.resolve();
	private treeChain: Promise<void> = Promise.resolve();

	constructor(
		private readonly index: Pick<BlobIndex, 'has'>,
		private readonly writer: PackWriter,
		private readonly treeWriter: PackWriter = writer,
	) {}

	get storedBytes(): number {
		return this.writer.bytesWritten + (this.treeWriter === this.writer ? 0 : this.treeWriter.bytesWritten);
	}

	/** Queue a worker's batch; returns the bytes it queued. */
	accept(message: BlobsMessage): number {
		if (!message.buffer || this.failure) {
			return 0;
		}

		const fresh: NewBlob[] = [];
		let size = 0;
		for (const blob of message.blobs) {
			// Another worker may have found the same chunk meanwhile: keep the first.
			if (this.index.has(blob.id) || !this.runIds.add(blob.id)) {
				continue;
			}

			fresh.push({id: blob.id, data: new Uint8Array(message.buffer, blob.offset, blob.length), rawLength: blob.rawLength, flags: blob.flags});
			this.newBytes += blob.rawLength;
			this.newBlobs++;
			size += blob.length;
		}

		this.queuedBytes += size;
		this.chain = this.chain.then(async () => {
			for (const blob of fresh) {
				if (this.failure) {
					break;
				}

				await this.writer.add(blob);
			}
		}).catch((error: unknown) => {
			this.failure ??= error;
		}).finally(() => {
			this.queuedBytes -= size;
		});
		return size;
	}

	/**
	 * Queue one blob made on this thread (a folder's tree) and wait until the writer has it;
	 * false when the repository or this run already stored it.
	 */
	async addOwn(id: Uint8Array, encode: () => Omit<NewBlob, 'id'>): Promise<boolean> {
		if (this.failure) {
			throw this.failure;
		}

		if (this.index.has(id) || !this.runIds.add(id)) {
			return false;
		}

		const blob = {id, ...encode()};
		this.newBlobs++;
		const added = async () => this.treeWriter.add(blob);
		const kept = (error: unknown) => {
			this.failure ??= error;
		};

		if (this.treeWriter === this.writer) {
			this.chain = this.chain.then(added).catch(kept);
			await this.chain;
		} else {
			this.treeChain = this.treeChain.then(added).catch(kept);
			await this.treeChain;
		}

		if (this.failure) {
			throw this.failure;
		}

		return true;
	}

	/** Resolves when every queued blob is handed to the pack writer (never rejects). */
	async drain(): Promise<void> {
		await Promise.all([this.chain, this.treeChain]);
	}

	/** Close the last pack and make every pack durable; rejects with the first write failure. */
	async finish(): Promise<PackedRecords[]> {
		await this.drain();
		if (this.failure) {
			throw this.failure;
		}

		const data = await this.writer.finish();
		return this.treeWriter === this.writer ? data : [...data, ...await this.treeWriter.finish()];
	}

	/** Remove half-written temporaries; finished packs stay for the next run to reuse. */
	async abandon(): Promise<void> {
		this.failure ??= new Error('abandoned');
		await this.drain();
		await this.writer.abandon();
		if (this.treeWriter !== this.writer) {
			await this.treeWriter.abandon();
		}
	}
}
