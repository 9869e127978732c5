import {deflateRawSync, inflateRawSync} from 'node:zlib';
import {decodeName, encodeName, type BytePath, type EncodedName} from '../byte-path.js';

/**
 * A generation's manifest: one header (small, read to list generations) and the file tree — in
 * format 2 as tree blobs (tree.ts), in format 1 as this file's body: JSON lines (names as raw bytes, modes, owners, nanosecond mtimes, symlinks, hardlinks, empty
 * dirs, and every file's chunk ids). Entries are sorted by path bytes.
 */
export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink';

export type Entry = {
	path: BytePath;
	type: EntryType;
	mode: number;
	uid: number;
	gid: number;
	mtimeNs: bigint;
	size: number;
	/** Concatenated 32-byte blob ids, files only. */
	chunks?: Buffer;
	/** Format 2: SHA-256 of the whole content as read, computed while chunking (absent for files over one 32 MiB segment and for streams). */
	sha256?: Buffer;
	/** Symlink target (raw bytes), or the path of the first link of a hardlinked file. */
	target?: BytePath;
	/** Source-side identity for change detection next time. */
	ino?: number;
	ctimeNs?: bigint;
};

export type SourceRoot = {
	/** First path component of the source's entries in this generation. */
	name: BytePath;
	/** Absolute path it was read from. */
	path: BytePath;
};

export type GenerationTotals = {
	files: number;
	dirs: number;
	symlinks: number;
	bytes: number;
	newBytes: number;
	storedBytes: number;
	newBlobs: number;
	durationMs: number;
	warnings: number;
};

export type SentinelVerdict = {
	suspect: boolean;
	reasons: string[];
	measures: Record<string, number>;
};

export type GenerationHeader = {
	/** 1: the file tree is this file's body; 2: it is in tree blobs, reached from `tree`. */
	format: 1 | 2;
	repositoryId: string;
	seq: number;
	time: string;
	host: string;
	sources: SourceRoot[];
	previous: string | undefined;
	totals: GenerationTotals;
	bodyHash: string;
	/** Format 2: the hex id of the root tree blob. */
	tree?: string;
	tags: string[];
	sentinel?: SentinelVerdict;
};

type EncodedEntry = {
	p: EncodedName;
	t: 'f' | 'd' | 'l' | 'h';
	m: number;
	u: number;
	g: number;
	mt: string;
	s?: number;
	c?: string;
	l?: EncodedName;
	i?: number;
	ct?: string;
};

const typeCodes = {file: 'f', dir: 'd', symlink: 'l', hardlink: 'h'} as const;
const typeNames = {f: 'file', d: 'dir', l: 'symlink', h: 'hardlink'} as const;

export function encodeEntries(entries: Entry[]): Buffer {
	// Encoded in slices of lines so no single huge string is ever built.
	const parts: Buffer[] = [];
	const slice = 2000;
	for (let start = 0; start < entries.length; start += slice) {
		const lines: string[] = [];
		for (const entry of entries.slice(start, start + slice)) {
			lines.push(JSON.stringify(encodeEntry(entry)));
		}

		parts.push(Buffer.from((start > 0 ? '\n' : '') + lines.join('\n'), 'utf8'));
	}

	return deflateRawSync(Buffer.concat(parts), {level: 6});
}

function encodeEntry(entry: Entry): EncodedEntry {
	const encoded: EncodedEntry = {
		p: encodeName(entry.path),
		t: typeCodes[entry.type],
		m: entry.mode,
		u: entry.uid,
		g: entry.gid,
		mt: entry.mtimeNs.toString(),
	};
	if (entry.type === 'file' || entry.type === 'hardlink') {
		encoded.s = entry.size;
	}

	if (entry.chunks) {
		encoded.c = entry.chunks.toString('base64');
	}

	if (entry.target !== undefined) {
		encoded.l = encodeName(entry.target);
	}

	if (entry.ino !== undefined) {
		encoded.i = entry.ino;
	}

	if (entry.ctimeNs !== undefined) {
		encoded.ct = entry.ctimeNs.toString();
	}

	return encoded;
}

export function decodeEntries(body: Buffer): Entry[] {
	const text = inflateRawSync(body).toString('utf8');
	if (text.length === 0) {
		return [];
	}

	return text.split('\n').map(line => {
		const encoded = JSON.parse(line) as EncodedEntry;
		const entry: Entry = {
			path: decodeName(encoded.p),
			type: typeNames[encoded.t],
			mode: encoded.m,
			uid: encoded.u,
			gid: encoded.g,
			mtimeNs: BigInt(encoded.mt),
			size: encoded.s ?? 0,
		};
		if (encoded.c !== undefined) {
			entry.chunks = Buffer.from(encoded.c, 'base64');
		}

		if (encoded.l !== undefined) {
			entry.target = decodeName(encoded.l);
		}

		if (encoded.i !== undefined) {
			entry.ino = encoded.i;
		}

		if (encoded.ct !== undefined) {
			entry.ctimeNs = BigInt(encoded.ct);
		}

		return entry;
	});
}

export function chunkCount(entry: Entry): number {
	return entry.chunks ? entry.chunks.length / 32 : 0;
}

export function chunkId(entry: Entry, index: number): Buffer {
	return entry.chunks!.subarray(index * 32, (index + 1) * 32);
}
