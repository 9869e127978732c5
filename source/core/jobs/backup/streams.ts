import {createHash} from 'node:crypto';
import {fromText} from '../../byte-path.js';
import {SedaiError} from '../../errors.js';
import {WasmChunker, type ChunkerParameters} from '../../repository/chunker.js';
import {encodeBlobInto, encodedBound, type Compression} from '../../repository/blob-codec.js';
import type {SourceRoot} from '../../repository/manifest.js';
import type {BatchedBlob} from '../../workers/protocol.js';
import {cutBlock} from '../../workers/chunk-task.js';
import {throwIfAborted, type ProgressReporter} from '../progress.js';
import type {WalkedEntry} from '../walk.js';
import type {BlobSink} from './pack.js';

/**
 * Streams: content that is no file, such as a database dump piped from pg_dump, stored as a file
 * under a virtual root next to the source roots ("databases/clinic.pgdump"). Each stream is read
 * once, on this thread, and every repository cuts it with its own WasmChunker and encodes its
 * new chunks: no FIFO and no temporary file, so the dump's bytes touch no disk but the
 * repositories'. A stream that throws (pg_dump failed) fails the whole run: nothing is sealed.
 */
export type BackupStream = {
	/** Path inside the generation: a virtual root, then the file's name ("databases/clinic.pgdump"). */
	path: string;
	open: (signal?: AbortSignal) => AsyncIterable<Uint8Array>;
};

export type StreamTarget = {
	key: Uint8Array | undefined;
	gear: Uint32Array;
	chunker: ChunkerParameters;
	compression: Compression;
	index: {has: (id: Uint8Array) => boolean};
	sink: BlobSink;
};

const blockSize = 4 * 1024 * 1024;
const batchSize = 4 * 1024 * 1024;
const queueLimit = 16 * 1024 * 1024;

/** The virtual roots the streams need, refusing a name a source root already has. */
export function streamRoots(streams: BackupStream[], sourceRoots: SourceRoot[]): SourceRoot[] {
	const names = [...new Set(streams.map(stream => rootOf(stream.path)))];
	const clash = names.find(name => sourceRoots.some(root => root.name === fromText(name)));
	if (clash) {
		throw new SedaiError('bad-config', `A source folder is named "${clash}", like the generation's folder for database dumps: rename that source folder or back it up through its parent.`);
	}

	return names.map(name => ({name: fromText(name), path: fromText(`stream:${name}`)}));
}

function rootOf(path: string): string {
	return path.slice(0, path.indexOf('/'));
}

/** Entries for the streams' roots and files, each file with its chunk list for target t. */
export type StreamEntries = (target: number) => WalkedEntry[];

/** Read every stream once for all targets; returns each target's entries for them. */
export async function readStreams(streams: BackupStream[], targets: StreamTarget[], reporter: ProgressReporter, signal: AbortSignal | undefined, time: Date): Promise<StreamEntries> {
	const files: Array<{path: string; size: number; chunks: Buffer[]}> = [];
	for (const stream of streams) {
		reporter.setPhase('read', `Streaming ${stream.path} into the generation`);
		reporter.currentPath = stream.path;
		files.push(await readStream(stream, targets, reporter, signal));
	}

	const base = {mode: 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, mtimeNs: BigInt(time.getTime()) * 1_000_000n};
	return target => {
		const roots = [...new Set(files.map(file => rootOf(file.path)))];
		return [
			...roots.map(root => ({...base, mode: 0o700, path: fromText(root), type: 'dir' as const, size: 0})),
			...files.map(file => ({...base, path: fromText(file.path), type: 'file' as const, size: file.size, chunks: file.chunks[target]})),
		];
	};
}

async function readStream(stream: BackupStream, targets: StreamTarget[], reporter: ProgressReporter, signal: AbortSignal | undefined): Promise<{path: string; size: number; chunks: Buffer[]}> {
	const cutters = targets.map(target => new Cutter(target));
	let size = 0;
	for await (const piece of stream.open(signal)) {
		throwIfAborted(signal);
		for (let at = 0; at < piece.length; at += blockSize) {
			const block = piece.subarray(at, at + blockSize);
			for (const cutter of cutters) {
				cutter.add(block, false);
			}
		}

		size += piece.length;
		reporter.bytesDone += piece.length;
		// Backpressure: the dump waits (pg_dump's pipe fills) while the media catch up.
		if (targets.reduce((sum, target) => sum + target.sink.queuedBytes, 0) > queueLimit) {
			await Promise.all(targets.map(async target => target.sink.drain()));
		}
	}

	for (const cutter of cutters) {
		cutter.add(new Uint8Array(0), true);
		cutter.flush();
	}

	return {path: stream.path, size, chunks: cutters.map(cutter => Buffer.concat(cutter.ids))};
}

/** One target's chunker over a stream, and its batch of encoded new blobs for the sink. */
class Cutter {
	readonly ids: Uint8Array[] = [];
	private readonly chunker: WasmChunker;
	private filled = 0;
	private batch: Uint8Array | undefined;
	private used = 0;
	private blobs: BatchedBlob[] = [];

	constructor(private readonly target: StreamTarget) {
		this.chunker = new WasmChunker(target.gear, target.chunker, blockSize + target.chunker.max);
	}

	add(block: Uint8Array, final: boolean): void {
		this.filled = cutBlock(this.chunker, this.filled, block, final, chunk => {
			this.emit(chunk);
		});
	}

	flush(): void {
		if (this.blobs.length > 0) {
			this.target.sink.accept({type: 'blobs', taskId: 0, buffer: this.batch!.buffer as ArrayBuffer, blobs: this.blobs, bytes: 0});
		}

		this.batch = undefined;
		this.used = 0;
		this.blobs = [];
	}

	private emit(chunk: Uint8Array): void {
		// The chunk id is the plain SHA-256 of the content, as for files.
		const id = createHash('sha256').update(chunk).digest();
		this.ids.push(id);
		if (this.target.index.has(id)) {
			return;
		}

		const bound = encodedBound(chunk.length);
		if (this.batch && this.used + bound > this.batch.length) {
			this.flush();
		}

		this.batch ??= new Uint8Array(Math.max(batchSize, bound));
		const {length, flags} = encodeBlobInto(this.target.key, id, chunk, this.batch, this.used, this.target.compression);
		this.blobs.push({id: new Uint8Array(id), offset: this.used, length, rawLength: chunk.length, flags});
		this.used += length;
	}
}
