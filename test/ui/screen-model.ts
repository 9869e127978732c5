import {EventEmitter} from 'node:events';
import stringWidth from 'string-width';

/**
 * A terminal's visible screen, for what ScreenWriter sends: cursor moves (CSI row;col H), erase
 * (2J, K), autowrap on or off (?7h/?7l, on by default, wrapping and scrolling like a real one);
 * colours and other modes are ignored. `text()` is the screen as lines, trailing blanks cut.
 */
// ScreenWriter listens for 'resize' like on a Node TTY stream.
// eslint-disable-next-line unicorn/prefer-event-target
export class ScreenModel extends EventEmitter {
	// eslint-disable-next-line @typescript-eslint/class-literal-property-style
	readonly isTTY = true;
	private cells: string[][] = [];
	private row = 0;
	private column = 0;
	private autowrap = true;

	constructor(public columns: number, public rows: number) {
		super();
		this.cells = this.blank(rows);
	}

	/** The terminal is resized: the content stays top left, cut or padded, as a terminal does. */
	resize(columns: number, rows: number): void {
		this.cells = Array.from({length: rows}, (_, index) => [...(this.cells[index] ?? []).slice(0, columns), ...Array.from<string>({length: Math.max(0, columns - (this.cells[index]?.length ?? 0))}).fill(' ')].slice(0, columns));
		this.columns = columns;
		this.rows = rows;
		this.row = Math.min(this.row, rows - 1);
		this.column = Math.min(this.column, columns - 1);
		this.emit('resize');
	}

	write = (data: string): boolean => {
		for (const [, csi, plain] of data.matchAll(/\u001B\[([?\d;]*[A-Za-z])|([^\u001B]+)/g)) {
			if (csi) {
				this.control(csi);
			} else if (plain) {
				this.print(plain);
			}
		}

		return true;
	};

	text(): string {
		return this.cells.map(line => line.join('').trimEnd()).join('\n');
	}

	private blank(rows: number): string[][] {
		return Array.from({length: rows}, () => Array.from<string>({length: this.columns}).fill(' '));
	}

	private control(sequence: string): void {
		const final = sequence.at(-1);
		const parameters = sequence.slice(0, -1);
		if (final === 'H') {
			const [row = 1, column = 1] = parameters.split(';').map(Number);
			this.row = Math.min(this.rows - 1, Math.max(0, (row || 1) - 1));
			this.column = Math.min(this.columns - 1, Math.max(0, (column || 1) - 1));
		} else if (final === 'J' && parameters === '2') {
			this.cells = this.blank(this.rows);
		} else if (final === 'K') {
			this.cells[this.row].fill(' ', this.column);
		} else if (parameters === '?7') {
			this.autowrap = final === 'h';
		}
	}

	private print(text: string): void {
		for (const character of text) {
			const width = stringWidth(character);
			if (this.column + width > this.columns) {
				if (!this.autowrap) {
					continue;
				}

				this.column = 0;
				this.row++;
				if (this.row === this.rows) {
					this.cells = [...this.cells.slice(1), ...this.blank(1)];
					this.row = this.rows - 1;
				}
			}

			const line = this.cells[this.row];
			line[this.column] = character;
			if (width === 2) {
				line[this.column + 1] = '';
			}

			this.column += width;
		}
	}
}
