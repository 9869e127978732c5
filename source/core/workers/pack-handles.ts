import fs from 'node:fs';

/** Open pack files, kept for reuse across tasks; the oldest is closed beyond `limit`. */
export class PackHandles {
	private readonly handles = new Map<string, number>();

	constructor(private readonly limit = 64) {}

	fd(pack: string): number {
		let fd = this.handles.get(pack);
		if (fd === undefined) {
			const oldest = this.handles.size >= this.limit ? this.handles.entries().next().value : undefined;
			if (oldest) {
				fs.closeSync(oldest[1]);
				this.handles.delete(oldest[0]);
			}

			fd = fs.openSync(pack, 'r');
			this.handles.set(pack, fd);
		}

		return fd;
	}

	closeAll(): void {
		for (const fd of this.handles.values()) {
			fs.closeSync(fd);
		}

		this.handles.clear();
	}
}
