import {walkSources, type WalkResult} from '../walk.js';

/**
 * The source walk, started before the repositories are open: it needs no key, so it runs while
 * the passphrase's key derivation (scrypt, on libuv's thread pool) and the index load go on.
 * What it says before anyone listens is kept and told on `attach`.
 */
export type ScanListener = {
	warn: (code: string, message: string, path?: string) => void;
	progress: (files: number, bytes: number) => void;
};

export type Scan = {
	/** The walk; rejects with the walk's SedaiError (a source that does not exist …). */
	readonly result: Promise<WalkResult>;
	attach: (listener: ScanListener) => void;
	/** Stop walking (nothing will use the result); `result` then settles soon. */
	cancel: () => void;
};

export function startScan(sources: string[], exclude: string[], signal?: AbortSignal): Scan {
	const stop = new AbortController();
	const early: Array<Parameters<ScanListener['warn']>> = [];
	let last: [number, number] | undefined;
	let listener: ScanListener | undefined;
	const result = walkSources(sources, (...warning) => {
		if (listener) {
			listener.warn(...warning);
		} else {
			early.push(warning);
		}
	}, (files, bytes) => {
		last = [files, bytes];
		listener?.progress(files, bytes);
	}, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal, exclude);
	// Awaited later, or never when every repository failed to open: never an unhandled rejection.
	result.catch(() => undefined);
	return {
		result,
		attach(next) {
			listener = next;
			for (const warning of early.splice(0)) {
				next.warn(...warning);
			}

			if (last) {
				next.progress(...last);
			}
		},
		cancel() {
			stop.abort();
		},
	};
}
