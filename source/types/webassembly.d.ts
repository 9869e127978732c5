// The few WebAssembly globals Sedai uses (the DOM lib would declare them, and much else).
declare namespace WebAssembly {
	class Memory {
		constructor(descriptor: {initial: number; maximum?: number});
		readonly buffer: ArrayBuffer;
	}

	class Module {
		constructor(bytes: Uint8Array);
	}

	class Instance {
		constructor(module: Module, imports: Record<string, Record<string, unknown>>);
		readonly exports: Record<string, unknown>;
	}
}
