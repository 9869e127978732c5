import fs from 'node:fs/promises';

/**
 * Open pack files kept for a moment between small reads. Reading a generation's folder trees
 * is thousands of reads of a few kilobytes from a handful of packs; an open and a close around
 * each cost more than the read. Handles close once nothing has been read for `idleMs`, so none
 * outlives the job that used it (and none is left for the garbage collector to close).
 */
export class PackReads {
	private readonly handles = new Map<string, Promise<fs.FileHandle>>();
	private inFlight = 0;
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly limit = 16, private readonly idleMs = 100) {}

	/** Files open right now (tests wait for it to reach 0). */
	get openFiles(): number {
		return this.handles.size;
	}

	/** Fill `buffer` from `position` of the file; returns the bytes read (short at the end). */
	async read(file: string, buffer: Uint8Array, position: number): Promise<number> {
		this.inFlight++;
		try {
			const handle = await this.open(file);
			const {bytesRead} = await handle.read(buffer, 0, buffer.length, position);
			return bytesRead;
		} finally {
			this.inFlight--;
			this.arm();
		}
	}

	/** Close every handle now (also done by itself when idle). */
	async closeAll(): Promise<void> {
		clearTimeout(this.timer);
		this.timer = undefined;
		const opened = [...this.handles.values()];
		this.handles.clear();
		await Promise.all(opened.map(async handle => (await handle).close().catch(() => undefined)));
	}

	private async open(file: string): Promise<fs.FileHandle> {
		let handle = this.handles.get(file);
		// Most recently used last, so the oldest is the one closed past the limit.
		this.handles.delete(file);
		if (!handle) {
			handle = fs.open(file, 'r');
			handle.catch(() => {
				this.handles.delete(file);
			});
		}

		this.handles.set(file, handle);
		// Only while this is the one read in flight: no other read is using the handle closed.
		while (this.handles.size > this.limit && this.inFlight === 1) {
			const [oldest, opened] = this.handles.entries().next().value!;
			this.handles.delete(oldest);
			void opened.then(async open => open.close()).catch(() => undefined);
		}

		return handle;
	}

	private arm(): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			if (this.inFlight === 0) {
				void this.closeAll();
			} else {
				this.arm();
			}
		}, this.idleMs);
		this.timer.unref();
	}
}
