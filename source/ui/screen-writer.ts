import {EventEmitter} from 'node:events';

/**
 * Ink's stdout, redrawn line by line. Ink writes each frame whole (erase the previous frame,
 * then every line); over a slow SSH link that is a full-screen repaint per progress tick. This
 * stream sits between Ink and the terminal (in the alternate screen, where absolute cursor
 * moves are safe), keeps the lines on screen, and sends only the lines that changed, each as
 * "go to row, write, clear the rest". A resize or Ctrl+L clears and redraws everything. Autowrap
 * is off while it draws: a line drawn wider than the terminal (a frame laid out just before a
 * resize) is cut at the edge instead of wrapping into the next row and scrolling the title away.
 */
const inkControl = /\u001B\[(?:2K|\d*A|G|\?25[hl]|\?2026[hl]|2J|3J|H)/g;

// Ink wants a Node stream-like object (on/off/emit, isTTY), not an EventTarget.
// eslint-disable-next-line unicorn/prefer-event-target
export class ScreenWriter extends EventEmitter {
	// eslint-disable-next-line @typescript-eslint/class-literal-property-style
	readonly isTTY = true;
	/** Bytes sent to the terminal, for measuring what a redraw costs. */
	bytesWritten = 0;
	frames = 0;
	private screen: string[] = [];
	/** The last frame Ink wrote, whole: what a full redraw paints. */
	private frame: string[] = [];
	private readonly onResize = () => {
		this.redraw();
		this.emit('resize');
	};

	constructor(private readonly terminal: NodeJS.WriteStream) {
		super();
		terminal.on('resize', this.onResize);
	}

	get columns(): number {
		return this.terminal.columns;
	}

	get rows(): number {
		return this.terminal.rows;
	}

	/** Enter the alternate screen with the cursor hidden. */
	open(): void {
		this.send('\u001B[?1049h\u001B[?25l\u001B[?7l\u001B[H\u001B[2J');
	}

	/** Clear the terminal and paint every line of the last frame again (resize, Ctrl+L). */
	redraw(): void {
		this.screen = [];
		this.send('\u001B[H\u001B[2J');
		this.draw(this.frame);
	}

	/** Back to the shell's own screen, cursor shown. */
	close(): void {
		this.terminal.off('resize', this.onResize);
		this.send('\u001B[0m\u001B[?7h\u001B[?25h\u001B[?1049l');
	}

	write = (data: string | Uint8Array, callback?: unknown): boolean => {
		const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
		const frame = text.replaceAll(inkControl, '');
		if (frame.trim() !== '') {
			this.frame = frame.replace(/\n$/, '').split('\n');
			this.draw(this.frame);
		}

		if (typeof callback === 'function') {
			(callback as () => void)();
		}

		return true;
	};

	private draw(lines: string[]): void {
		const rows = Math.max(1, this.rows > 0 ? this.rows : lines.length);
		let out = '';
		const count = Math.min(rows, Math.max(lines.length, this.screen.length));
		for (let index = 0; index < count; index++) {
			const line = lines[index] ?? '';
			if (line !== this.screen[index]) {
				// Clear first, then draw: with autowrap off the cursor stays on the last column after a
				// full-width line, and an erase sent after the line would wipe that column's character.
				out += `\u001B[${index + 1};1H\u001B[2K${line}\u001B[0m`;
			}
		}

		this.screen = lines.slice(0, rows);
		if (out) {
			this.frames++;
			this.send(out);
		}
	}

	private send(text: string): void {
		this.bytesWritten += Buffer.byteLength(text);
		this.terminal.write(text);
	}
}
