import process from 'node:process';
import {render} from 'ink';
import {Session} from '../app/session.js';
import {detectCapabilities} from '../text/capabilities.js';
import {makeTheme} from './theme/theme.js';
import type {ViewId} from './state/ui-state.js';
import {ScreenWriter} from './screen-writer.js';
import {App} from './app.js';
import {cacheRows, inkOutputClass} from './ink-row-cache.js';
import {inkFrameFlusher} from './ink-frame-flush.js';

/**
 * Start the console on this terminal: the alternate screen (the shell's scrollback is left as
 * it was), raw keys, only changed lines sent (ScreenWriter), at most 20 frames a second.
 * Returns when the technician quits; running jobs are cancelled safely first.
 */
export async function runTui(options: {session?: Session; initialView?: ViewId} = {}): Promise<void> {
	const session = options.session ?? new Session();
	const theme = makeTheme(detectCapabilities());
	// SEDAI_INK_ROWS=0 keeps Ink's own frame building (to measure what the row cache saves).
	const output = process.env['SEDAI_INK_ROWS'] === '0' ? undefined : await inkOutputClass();
	const uncache = output ? cacheRows(output) : undefined;
	const screen = new ScreenWriter(process.stdout);
	let renderMs = 0;
	// SEDAI_INK_FLUSH=0 keeps Ink's frame throttle for keys too (to measure what flushing saves).
	const flush = process.env['SEDAI_INK_FLUSH'] === '0' ? () => undefined : await inkFrameFlusher(screen);
	screen.open();
	const instance = render(<App session={session} theme={theme} reserveRows={0} onKeysSettled={flush} {...(options.initialView ? {initialView: options.initialView} : {})}/>, {
		stdout: screen as unknown as NodeJS.WriteStream,
		exitOnCtrlC: false,
		maxFps: 20,
		patchConsole: true,
		onRender({renderTime}) {
			renderMs += renderTime;
		},
	});
	try {
		await instance.waitUntilExit();
	} finally {
		instance.cleanup();
		screen.close();
		session.close();
		uncache?.();
		if (process.env['SEDAI_TUI_STATS']) {
			const cpu = process.cpuUsage();
			process.stderr.write(`sedai tui: ${screen.frames} frames, ${screen.bytesWritten} bytes to the terminal, ${Math.round(renderMs)} ms rendering, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU\n`);
		}
	}
}
