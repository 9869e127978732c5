import type {Output} from './output.js';

/**
 * Ctrl+C or SIGTERM cancels the running job cleanly (nothing sealed, earlier generations
 * untouched); a second one exits at once, which is just as safe, only less tidy.
 */
export function cancelOnSignals(output: Output): AbortSignal {
	const controller = new AbortController();
	let count = 0;
	const handler = (signal: NodeJS.Signals) => {
		count++;
		if (count > 1) {
			process.exit(130);
		}

		output.warning('cancelling', `Received ${signal}: cancelling; press Ctrl+C again to stop at once.`);
		controller.abort();
	};

	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
	return controller.signal;
}
