import type {Compression} from '../repository/blob-codec.js';

/**
 * Messages between job coordinators (main thread) and worker threads. Buffers travel as
 * transferred ArrayBuffers, never copied.
 */
export type WorkerInit = {
	key: Uint8Array | undefined;
	gear: Uint32Array;
	chunker: {min: number; avg: number; max: number};
	wholeFileLimit: number;
	/** Concatenated ids already stored, so workers skip compressing and sealing them. */
	knownIds: Uint8Array;
	/** A backup to several repositories: each one's parameters (absent: this init's own are target 0). */
	chunkTargets?: ChunkTarget[];
};

/** One repository's chunking, hashing, compression and sealing parameters. */
export type ChunkTarget = Pick<WorkerInit, 'key' | 'gear' | 'chunker' | 'knownIds'> & {compression?: Compression};

export type NewBlob = {id: Uint8Array; data: Uint8Array; rawLength: number; flags: number};

/** A new blob inside a BlobsMessage's shared buffer. */
export type BatchedBlob = {id: Uint8Array; offset: number; length: number; rawLength: number; flags: number};

export type ChunkItem = {
	path: Uint8Array;
	start: number;
	end: number;
	whole: boolean;
	/** Hash every byte read too: the item is the whole file (one segment). */
	hash?: boolean;
	/** The targets (indexes into the init's chunk targets) that need this file; default [0]. */
	targets?: number[];
};

/** Several small files travel as one task: per-message overhead would dominate otherwise. */
export type ChunkTask = {
	kind: 'chunk';
	taskId: number;
	items: ChunkItem[];
};

export type ChunkItemResult = {
	/** Per target of the item, in its order: concatenated chunk ids in file order. */
	chunks?: Uint8Array[];
	/** SHA-256 of every byte read, when the item asked for it (`hash`). */
	sha256?: Uint8Array;
	bytes: number;
	/** Entropy (bits/byte) of the first bytes of a whole file, so the sentinel never opens it again. */
	entropy?: number;
	error?: {code: string; message: string};
};

export type ItemResult = {
	bytes: number;
	/** Indexes of pieces or chunks that failed. */
	bad: number[];
	error?: {code: string; message: string};
};

export type RestorePiece = {
	pack: string;
	offset: number;
	length: number;
	rawLength: number;
	flags: number;
	id: Uint8Array;
	fileOffset: number;
};

/** Mode as given (the coordinator masks it for a test restore); chown only when asked and root. */
export type FileFinish = {mode: number; uid: number; gid: number; mtimeNs: string; chown: boolean};

export type RestoreFile = {
	path: Uint8Array;
	pieces: RestorePiece[];
	/** Create the file (exclusively, never through a symlink); otherwise it already exists. */
	create: boolean;
	/** With create: the file's full size, set first so a missing piece leaves a hole, never a shift. */
	size?: number;
	/** Set mode, owner and mtime once written (whole files only). */
	finish?: FileFinish;
};

export type RestoreTask = {
	kind: 'restore';
	taskId: number;
	files: RestoreFile[];
	/** A read-back will hash every byte written: sealed blobs are not hashed here too (decodeBlob). */
	readBackFollows?: boolean;
};

export type CheckFile = {
	path: Uint8Array;
	/** Concatenated expected chunk ids and their lengths, from `start`. */
	ids: Uint8Array;
	lengths: number[];
	start: number;
	/** The whole file's SHA-256 (from 0, every piece): one hash instead of one per chunk. */
	sha256?: Uint8Array;
	/** The size the restored file must have (checked on the open file, not by a separate stat). */
	size?: number;
};

export type CheckFileTask = {
	kind: 'check-file';
	taskId: number;
	files: CheckFile[];
};

export type PackBlob = {id: Uint8Array; offset: number; length: number; rawLength: number; flags: number};

export type CheckPackTask = {
	kind: 'check-pack';
	taskId: number;
	pack: string;
	blobs: PackBlob[];
};

export type WorkerTask = ChunkTask | RestoreTask | CheckFileTask | CheckPackTask;

/** New blobs, encoded back to back in one transferred buffer (few large allocations, not many small). */
export type BlobsMessage = {type: 'blobs'; taskId: number; buffer: ArrayBuffer | undefined; blobs: BatchedBlob[]; bytes: number; /** Chunk target of the blobs (default 0). */ target?: number};
export type BytesMessage = {type: 'bytes'; taskId: number; bytes: number};

export type DoneMessage = {
	type: 'done';
	taskId: number;
	/** Chunk: one result per item. */
	items?: ChunkItemResult[];
	/** Restore / check-file: one result per file. */
	files?: ItemResult[];
	bytes: number;
	/** Check-file / restore / check-pack: indexes of pieces, chunks or blobs that failed. */
	bad?: number[];
	/** Check-pack: set when the pack could not be read at all. */
	error?: {code: string; message: string};
};

export type WorkerMessage = BlobsMessage | BytesMessage | DoneMessage;
