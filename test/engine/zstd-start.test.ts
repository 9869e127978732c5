import test from 'ava';

/**
 * Emscripten's start never rejects: when WebAssembly instantiation fails it logs and waits
 * forever, which once hung a whole test run. Sedai gives each start a deadline and retries once
 * on a fresh copy of the module. On a Node.js with zstd built in there is nothing to start.
 */
test('a WebAssembly start that never finishes is retried on a fresh module, not waited on forever', async t => {
	t.timeout(30_000);
	type Instantiate = (...arguments_: unknown[]) => Promise<unknown>;
	const wasm = (globalThis as unknown as {WebAssembly: {instantiate: Instantiate}}).WebAssembly;
	const original = wasm.instantiate;
	let calls = 0;
	// The first instantiation fails the way a starved address space does; the library then hangs.
	wasm.instantiate = async (...arguments_) => {
		calls++;
		return calls === 1 ? Promise.reject(new RangeError('WebAssembly.instantiate(): Out of memory')) : original.apply(wasm, arguments_);
	};

	try {
		const {loadZstd, zstdCompress, zstdDecompress} = await import('../../source/core/repository/compression.js');
		await loadZstd(1000);
		const raw = new TextEncoder().encode('karte '.repeat(1000));
		const frame = zstdCompress(raw);
		t.truthy(frame, 'zstd compresses after the retry');
		t.deepEqual(zstdDecompress(frame!, raw.length), raw);
		const builtIn = typeof (await import('node:zlib') as {zstdCompressSync?: unknown}).zstdCompressSync === 'function';
		t.is(calls, builtIn ? 0 : 2, 'one failed start, one on a fresh module');
	} finally {
		wasm.instantiate = original;
	}
});
