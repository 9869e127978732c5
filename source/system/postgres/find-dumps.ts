import fs from 'node:fs/promises';
import path from 'node:path';

export type DumpFormat = 'plain' | 'custom';

export type FoundDump = {path: string; format: DumpFormat};

/** Enough for pg_dump's header comment; nothing further of a file is read. */
const headBytes = 512;

/** Pg_dump's archive header: "PGDMP", version (3 bytes), int size, offset size, format. */
const customFormatByte = 1;
const formatOffset = 10;

async function readHead(file: string): Promise<Buffer> {
	const handle = await fs.open(file, 'r');
	try {
		const buffer = Buffer.alloc(headBytes);
		const {bytesRead} = await handle.read(buffer, 0, headBytes, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Recognise a dump by its first bytes, never by its name. */
export function dumpFormatOf(head: Buffer): DumpFormat | undefined {
	if (head.subarray(0, 5).toString('latin1') === 'PGDMP') {
		// Directory-format dumps have a PGDMP toc.dat too; only a whole custom archive loads alone.
		return head[formatOffset] === customFormatByte ? 'custom' : undefined;
	}

	// A plain dump opens with a comment block: "--", "-- PostgreSQL database dump", "--".
	const lines = head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
	const firstWords = lines.find(line => line.trim() !== '' && line.trim() !== '--');
	return firstWords?.trim() === '-- PostgreSQL database dump' ? 'plain' : undefined;
}

async function * regularFiles(folder: string): AsyncGenerator<string> {
	const entries = await fs.readdir(folder, {withFileTypes: true});
	entries.sort((a, b) => (a.name < b.name ? -1 : (a.name > b.name ? 1 : 0)));
	for (const entry of entries) {
		const full = path.join(folder, entry.name);
		// Symbolic links are not followed: a restored link may point anywhere on this machine.
		if (entry.isDirectory()) {
			yield * regularFiles(full);
		} else if (entry.isFile()) {
			yield full;
		}
	}
}

/** Every PostgreSQL dump (plain SQL or custom-format archive) in a restored tree, in path order. */
export async function findDumps(root: string): Promise<FoundDump[]> {
	const dumps: FoundDump[] = [];
	for await (const file of regularFiles(root)) {
		// A file this user cannot read is not a dump it could load: skipped, like any other file.

		const head = await readHead(file).catch(() => undefined);
		const format = head && dumpFormatOf(head);
		if (format) {
			dumps.push({path: file, format});
		}
	}

	return dumps;
}
