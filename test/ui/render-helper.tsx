import {EventEmitter} from 'node:events';
import type {ReactElement} from 'react';
import {render} from 'ink';

/**
 * Render an Ink tree into a fake 80×24 terminal (ink-testing-library fixes 100 columns and has
 * no rows): frames are collected, keys are written to a fake stdin, resize emits like a TTY.
 */
// Ink wants Node stream-like objects (on/off/emit), not EventTargets.
// eslint-disable-next-line unicorn/prefer-event-target
class FakeStdout extends EventEmitter {
	// eslint-disable-next-line @typescript-eslint/class-literal-property-style
	readonly isTTY = true;
	frames: string[] = [];

	constructor(public columns: number, public rows: number) {
		super();
	}

	write = (frame: string): boolean => {
		this.frames.push(frame);
		return true;
	};
}

// eslint-disable-next-line unicorn/prefer-event-target
export class FakeStdin extends EventEmitter {
	// eslint-disable-next-line @typescript-eslint/class-literal-property-style
	readonly isTTY = true;
	// Ink reads until read() returns null (not undefined).

	private buffer: string | null = null;
	setEncoding(): void {
		// A fake terminal: nothing to switch.
	}

	setRawMode(): void {
		// A fake terminal: nothing to switch.
	}

	resume(): void {
		// A fake terminal: nothing to switch.
	}

	pause(): void {
		// A fake terminal: nothing to switch.
	}

	ref(): void {
		// A fake terminal: nothing to switch.
	}

	unref(): void {
		// A fake terminal: nothing to switch.
	}

	read = (): string | null => {
		const value = this.buffer;
		this.buffer = null;
		return value;
	};

	write(data: string): void {
		this.buffer = data;
		this.emit('readable');
	}
}

export type Rendered = {
	lastFrame: () => string;
	frames: string[];
	/** Send keys one event at a time (each string is one key press), letting React settle between. */
	press: (...keys: string[]) => Promise<void>;
	type: (text: string) => Promise<void>;
	/** Write one raw chunk to stdin now, as a terminal or SSH link delivers it; nothing awaited. */
	write: (chunk: string) => void;
	resize: (columns: number, rows: number) => Promise<void>;
	waitFor: (predicate: string | RegExp | ((frame: string) => boolean), timeoutMs?: number) => Promise<string>;
	unmount: () => void;
};

const ansi = /\u001B\[[\d;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
	return text.replaceAll(ansi, '');
}

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	backspace: '\u007F',
	ctrlP: '\u0010',
	ctrlC: '\u0003',
	space: ' ',
	pageDown: '\u001B[6~',
} as const;

const settle = async (ms = 30) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

export function renderAt(tree: ReactElement, columns = 80, rows = 24): Rendered {
	const stdout = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const instance = render(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const lastFrame = () => stdout.frames.at(-1) ?? '';
	const waitFor = async (predicate: string | RegExp | ((frame: string) => boolean), timeoutMs = 15_000): Promise<string> => {
		const test = typeof predicate === 'string' ? (frame: string) => frame.includes(predicate) : (predicate instanceof RegExp ? (frame: string) => predicate.test(frame) : predicate);
		const started = Date.now();
		for (;;) {
			const frame = stripAnsi(lastFrame());
			if (test(frame)) {
				return frame;
			}

			if (Date.now() - started > timeoutMs) {
				throw new Error(`Timed out waiting for ${String(predicate)}; last frame:\n${frame}`);
			}

			await settle(25);
		}
	};

	return {
		lastFrame: () => stripAnsi(lastFrame()),
		frames: stdout.frames,
		async press(...pressed) {
			for (const key of pressed) {
				stdin.write(key);
				await settle();
			}
		},
		async type(text) {
			for (const character of text) {
				stdin.write(character);
				await settle(10);
			}
		},
		write(chunk) {
			stdin.write(chunk);
		},
		async resize(newColumns, newRows) {
			stdout.columns = newColumns;
			stdout.rows = newRows;
			stdout.emit('resize');
			await settle();
		},
		waitFor,
		unmount() {
			instance.unmount();
			instance.cleanup();
		},
	};
}
