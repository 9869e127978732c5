#!/usr/bin/env node
import process from 'node:process';
import {isSedaiError} from './core/errors.js';
import {runCli} from './cli/main.js';

/**
 * Entry point: the console (TUI) on an interactive terminal with no command, a headless
 * command otherwise. Without a TTY, Ink is never loaded or rendered.
 */
const argv = process.argv.slice(2);

// `sedai ls … | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') {
			process.exit(process.exitCode ?? 0);
		}

		throw error;
	});
}

const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);

try {
	if (argv.length === 0 && interactive) {
		// Loaded only here: headless runs never pay for Ink and React. React's development build
		// is several times slower per frame: choose production before React is first imported.
		process.env['NODE_ENV'] ??= 'production';
		const {runTui} = await import('./ui/run-tui.js');
		await runTui();
	} else {
		await runCli(argv.length === 0 ? ['help'] : argv);
	}
} catch (error) {
	// A SedaiError (a broken settings file before the console opens) is one true sentence; anything else is a bug.
	process.stderr.write(isSedaiError(error) ? `sedai: ${error.message}\n` : `sedai: unexpected error: ${error instanceof Error ? error.message : String(error)} (set SEDAI_DEBUG=1 for details)\n`);
	if (process.env['SEDAI_DEBUG'] === '1' && error instanceof Error) {
		process.stderr.write(`${error.stack ?? ''}\n`);
	}

	process.exitCode = 1;
}
