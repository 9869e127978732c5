import zlib from 'node:zlib';
import {createRequire} from 'node:module';
import path from 'node:path';
import {SedaiError} from '../errors.js';

/**
 * Zstandard for format-2 blobs: node:zlib's where this Node has it (22.15 and later), else the
 * reference library compiled to WebAssembly (@bokuweb/zstd-wasm: no native build, no download).
 * Both write standard frames, so either reads what the other wrote. The WebAssembly module starts
 * asynchronously: loadZstd() is awaited once per thread before the first blob (Repository.open
 * and init, each worker's start); until then compression falls back to LZ4.
 */
type Zstd = {compress: (raw: Uint8Array) => Uint8Array; decompress: (payload: Uint8Array, rawLength: number) => Uint8Array};

type ZstdWasm = {
	init: () => Promise<void>;
	createCCtx: () => number;
	createDCtx: () => number;
	compressUsingDict: (cctx: number, raw: Uint8Array, dict: Uint8Array, level: number) => Uint8Array;
	decompressUsingDict: (dctx: number, payload: Uint8Array, dict: Uint8Array) => Uint8Array;
};

const noDictionary = new Uint8Array(0);
type NativeZstd = {
	zstdCompressSync?: (raw: Uint8Array, options: {params: Record<number, number>}) => Buffer;
	zstdDecompressSync?: (payload: Uint8Array, options: {maxOutputLength: number}) => Buffer;
	constants: Record<string, number>;
};

const level = 3;
const native = zlib as unknown as NativeZstd;
let zstd: Zstd | undefined = nativeZstd();

function nativeZstd(): Zstd | undefined {
	const {zstdCompressSync: compress, zstdDecompressSync: decompress} = native;
	if (!compress || !decompress) {
		return undefined;
	}

	const parameters = {[native.constants['ZSTD_c_compressionLevel']]: level};
	return {
		compress: raw => compress(raw, {params: parameters}),
		decompress: (payload, rawLength) => decompress(payload, {maxOutputLength: Math.max(1, rawLength)}),
	};
}

let loading: Promise<void> | undefined;

/** How long one start of the WebAssembly module may take: it takes milliseconds when it works. */
const startDeadlineMs = 20_000;

/**
 * Start zstd in this thread. Emscripten's start never rejects: when instantiating fails it logs
 * and waits forever. So each attempt has a deadline, and a failed attempt is retried once on a
 * fresh copy of the module (the old one is stuck half-started); then one clear error.
 */
export async function loadZstd(deadlineMs = startDeadlineMs): Promise<void> {
	if (zstd) {
		return;
	}

	loading ??= (async () => {
		try {
			zstd = await startWasm(false, deadlineMs).catch(async () => startWasm(true, deadlineMs));
		} catch (error) {
			loading = undefined;
			throw new SedaiError('io', `Zstandard compression could not start in this Node.js (${error instanceof Error ? error.message : String(error)}): upgrade to Node.js 22.15 or later, which has it built in, or reinstall Sedai's packages (npm ci).`);
		}
	})();
	await loading;
}

async function startWasm(fresh: boolean, deadlineMs: number): Promise<Zstd> {
	const wasm = zstdModule(fresh);
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`its WebAssembly module did not start within ${deadlineMs / 1000} s`));
		}, deadlineMs);
	});
	try {
		await Promise.race([wasm.init(), deadline]);
	} finally {
		clearTimeout(timer);
	}

	// One context per thread, reused: making one per blob costs more than compressing a 64 KiB chunk.
	const cctx = wasm.createCCtx();
	const dctx = wasm.createDCtx();
	return {
		compress: raw => wasm.compressUsingDict(cctx, raw, noDictionary, level),
		decompress: payload => wasm.decompressUsingDict(dctx, payload, noDictionary),
	};
}

/** The package, from a fresh copy of its files when asked (the one-file executable has only its one copy). */
function zstdModule(fresh: boolean): ZstdWasm {
	// The bundle (scripts/bundle.ts) removes this line so that esbuild sees the require below and bundles the package.
	const require = createRequire(import.meta.url);
	if (fresh) {
		const folder = path.dirname(require.resolve('@bokuweb/zstd-wasm'));
		for (const file of Object.keys(require.cache).filter(file => file.startsWith(folder))) {
			// eslint-disable-next-line @typescript-eslint/no-dynamic-delete
			delete require.cache[file];
		}
	}

	return require('@bokuweb/zstd-wasm') as ZstdWasm;
}

/** The compressed frame, or undefined when zstd is not loaded in this thread yet. */
export function zstdCompress(raw: Uint8Array): Uint8Array | undefined {
	return zstd?.compress(raw);
}

/**
 * The plain bytes, or undefined when the frame is damaged. The frame's declared size is checked
 * against the index's first, so a damaged header cannot make us allocate gigabytes.
 */
export function zstdDecompress(payload: Uint8Array, rawLength: number): Uint8Array | undefined {
	if (!zstd) {
		throw new Error('zstd is not loaded in this thread (loadZstd was not awaited)');
	}

	if (frameContentSize(payload) !== rawLength) {
		return undefined;
	}

	try {
		const out = zstd.decompress(payload, rawLength);
		return out.length === rawLength ? out : undefined;
	} catch {
		return undefined;
	}
}

/** Frame_Content_Size from a zstd frame header (RFC 8878 §3.1.1.1), or -1 when absent or malformed. */
export function frameContentSize(frame: Uint8Array): number {
	if (frame.length < 6 || frame[0] !== 0x28 || frame[1] !== 0xB5 || frame[2] !== 0x2F || frame[3] !== 0xFD) {
		return -1;
	}

	const descriptor = frame[4];
	const sizeFlag = descriptor >> 6;
	const singleSegment = (descriptor >> 5) & 1;
	const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
	const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
	const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag];
	if (sizeBytes === 0 || at + sizeBytes > frame.length) {
		return -1;
	}

	const view = Buffer.from(frame.buffer, frame.byteOffset + at, sizeBytes);
	switch (sizeBytes) {
		case 1: {
			return view[0];
		}

		case 2: {
			return view.readUInt16LE(0) + 256;
		}

		case 4: {
			return view.readUInt32LE(0);
		}

		default: {
			const size = view.readBigUInt64LE(0);
			return size > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(size);
		}
	}
}
