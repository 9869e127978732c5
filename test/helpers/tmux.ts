import {execFileSync} from 'node:child_process';

/**
 * A real pseudo-terminal for end-to-end tests of the console: tmux runs the command at a fixed
 * size, send-keys types, capture-pane reads the screen. Waits poll the screen for a state;
 * nothing sleeps and hopes, except the short gap between keys a person leaves too.
 */
export type Terminal = {
	name: string;
	screen(): string;
	/** A pattern or any test of the whole screen text. */
	waitFor(pattern: {test: (text: string) => boolean}, timeoutMs?: number): Promise<string>;
	keys(...sequence: string[]): Promise<void>;
	kill(): void;
};

// A server of the tests' own (-L): a technician's tmux, or another run's kill-server, never meets it.
const socket = `sedai-test-${process.pid}`;

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
}

export function startTerminal(name: string, command: string, size?: {columns: number; rows: number}): Terminal {
	const {columns, rows} = size ?? {columns: 80, rows: 24};
	tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command);
	const screen = () => tmux('capture-pane', '-p', '-t', name);
	return {
		name,
		screen,
		async waitFor(pattern, timeoutMs = 60_000) {
			const started = Date.now();
			for (;;) {
				const text = screen();
				if (pattern.test(text)) {
					return text;
				}

				if (Date.now() - started > timeoutMs) {
					throw new Error(`Timed out waiting for ${pattern instanceof RegExp ? String(pattern) : 'a screen state'}; screen:\n${text}`);
				}

				await new Promise(resolve => {
					setTimeout(resolve, 200);
				});
			}
		},
		async keys(...sequence) {
			for (const key of sequence) {
				tmux('send-keys', '-t', name, key);
				await new Promise(resolve => {
					setTimeout(resolve, 120);
				});
			}
		},
		kill() {
			try {
				tmux('kill-session', '-t', name);
			} catch {
				// Already gone (the app quit).
			}
		},
	};
}
