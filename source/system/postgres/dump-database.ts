import {createReadStream} from 'node:fs';
import fs from 'node:fs/promises';
import {Readable} from 'node:stream';

/**
 * A plain dump made with `pg_dump -C` creates its own database and `\connect`s to it: loaded
 * as it is, its tables land there and the database the drill made stays empty ("0 tables").
 * Such a dump names its database in its head; the drill creates that database itself (its
 * CREATE DATABASE may ask for a locale this server lacks), leaves the dump's own statement out,
 * and counts the tables where the dump connects. Bytes after the head pass through untouched.
 */
export type ConnectingDump = {
	/** The database the dump connects to. */
	database: string;
	/** Where the dump's own CREATE DATABASE line is, in bytes (absent: it has none). */
	create?: {start: number; end: number};
};

/** Pg_dump writes the CREATE DATABASE and the \connect within its first few kilobytes. */
const headBytes = 64 * 1024;

function unquote(name: string): string {
	return name.startsWith('"') && name.endsWith('"') && name.length >= 2 ? name.slice(1, -1).replaceAll('""', '"') : name;
}

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

export async function connectingDump(file: string): Promise<ConnectingDump | undefined> {
	// Latin-1 keeps byte offsets equal to string offsets; names are decoded as UTF-8 below.
	const head = (await readHead(file)).toString('latin1');
	const connect = /^\\connect (?:-reuse-previous=on )?("(?:[^"]|"")+"|\S+)\s*$/m.exec(head);
	if (!connect) {
		return undefined;
	}

	const database = Buffer.from(unquote(connect[1]), 'latin1').toString('utf8');
	const create = /^CREATE DATABASE ("(?:[^"]|"")+"|\S+)[^\n]*;[ \t]*\r?$/m.exec(head.slice(0, connect.index));
	const created = create ? Buffer.from(unquote(create[1]), 'latin1').toString('utf8') : undefined;
	return {database, ...(create && created === database ? {create: {start: create.index, end: create.index + create[0].length}} : {})};
}

/** The dump's bytes with its CREATE DATABASE line turned into a comment (same length, same lines). */
export function withoutCreate(file: string, dump: ConnectingDump): Readable {
	const {create} = dump;
	if (!create) {
		return createReadStream(file);
	}

	async function * bytes(): AsyncGenerator<Buffer> {
		const head = await readHead(file);
		const line = Buffer.from(head.subarray(create!.start, create!.end));
		line.fill(0x20, 2);
		line.write('--', 0, 'latin1');
		yield head.subarray(0, create!.start);
		yield line;
		yield head.subarray(create!.end);
		if (head.length === headBytes) {
			yield * createReadStream(file, {start: headBytes}) as AsyncIterable<Buffer>;
		}
	}

	return Readable.from(bytes(), {objectMode: false});
}
