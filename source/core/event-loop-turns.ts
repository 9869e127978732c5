import {performance} from 'node:perf_hooks';
import {setImmediate as nextTurn} from 'node:timers/promises';

/**
 * A long loop on the main thread gives the event loop a turn every `budgetMs`: in the console the
 * job shares its thread with the keys and the frames, and a 250 ms loop (4,400 folder trees
 * encoded in one go) was a 250 ms key. Call the returned function once per item and await it;
 * until the budget is spent it costs a clock read and a microtask.
 */
export function eventLoopTurns(budgetMs = 10): () => Promise<void> {
	let last = performance.now();
	return async () => {
		if (performance.now() - last < budgetMs) {
			return;
		}

		await nextTurn();
		last = performance.now();
	};
}
