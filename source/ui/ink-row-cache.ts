import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {styledCharsToString, type StyledChar} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';

/**
 * Ink builds every frame from scratch: a grid of one object per cell (10,000 at 200×50), each text
 * line tokenised for its ANSI codes, and every row turned back into a string, even when only a
 * progress figure changed. Profiled during key bursts that is most of a frame (≈ 60–100 ms on two
 * busy cores), and it is what made keys slow. A row's string depends only on what was written into
 * it, so this replaces Ink's `Output.get` by one that builds a row only when its writes changed,
 * and keeps Ink's per-frame caches from one frame to the next. The result is the same string Ink
 * would produce (test/ui/ink-row-cache.test.ts compares both on generated frames).
 *
 * Ink does not export its Output class, so it is reached by file; where that fails (the one-file
 * bundle, a changed Ink) the console runs on Ink's own code, only slower.
 */
type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Operation
	= {type: 'write'; x: number; y: number; text: string; transformers: Array<(line: string, index: number) => string>}
		| {type: 'clip'; clip: Clip}
		| {type: 'unclip'};
type Caches = {
	styledChars: Map<string, StyledChar[]>;
	widths: Map<string, number>;
	blockWidths: Map<string, number>;
	getStyledChars: (line: string) => StyledChar[];
	getStringWidth: (text: string) => number;
	getWidestLine: (text: string) => number;
};
type OutputLike = {width: number; height: number; operations: Operation[]; caches: Caches};
export type OutputClass = {prototype: {get: (this: OutputLike) => {output: string; height: number}}};

/** Above this many entries a cache starts again: a long session must not grow without bound. */
const cacheLimit = 20_000;
const blank: StyledChar = {type: 'char', value: ' ', fullWidth: false, styles: []};

/** Each row's writes: where each line starts and the line as drawn (transformed, clipped). */
function rowPieces(output: OutputLike): Map<number, Array<{x: number; line: string}>> {
	const rows = new Map<number, Array<{x: number; line: string}>>();
	const clips: Clip[] = [];
	for (const operation of output.operations) {
		if (operation.type === 'clip') {
			clips.push(operation.clip);
		} else if (operation.type === 'unclip') {
			clips.pop();
		} else {
			placeWrite(output, operation, clips.at(-1), rows);
		}
	}

	return rows;
}

// Ink's clipping, line by line as its Output.get does it.
function placeWrite(output: OutputLike, operation: Extract<Operation, {type: 'write'}>, clip: Clip | undefined, rows: Map<number, Array<{x: number; line: string}>>): void {
	let {x, y} = operation;
	let lines = operation.text.split('\n');
	if (clip) {
		const horizontal = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
		const vertical = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
		if (horizontal && (x + output.caches.getWidestLine(operation.text) < clip.x1! || x > clip.x2!)) {
			return;
		}

		if (vertical && (y + lines.length < clip.y1! || y > clip.y2!)) {
			return;
		}

		if (horizontal) {
			lines = lines.map(line => {
				const from = x < clip.x1! ? clip.x1! - x : 0;
				const width = output.caches.getStringWidth(line);
				return sliceAnsi(line, from, x + width > clip.x2! ? clip.x2! - x : width);
			});
			x = Math.max(x, clip.x1!);
		}

		if (vertical) {
			const from = y < clip.y1! ? clip.y1! - y : 0;
			lines = lines.slice(from, y + lines.length > clip.y2! ? clip.y2! - y : lines.length);
			y = Math.max(y, clip.y1!);
		}
	}

	// As in Ink: a write whose first row is off the grid is dropped whole.
	if (y < 0 || y >= output.height) {
		return;
	}

	for (const [index, raw] of lines.entries()) {
		const row = y + index;
		if (row >= output.height) {
			break;
		}

		let line = raw;
		for (const transformer of operation.transformers) {
			line = transformer(line, index);
		}

		rows.set(row, [...rows.get(row) ?? [], {x, line}]);
	}
}

/** One row as Ink draws it: cells filled by each write in turn, then back to a string. */
function drawRow(output: OutputLike, pieces: Array<{x: number; line: string}>): string {
	const cells: Array<StyledChar | undefined> = Array.from({length: output.width}, () => blank);
	for (const {x, line} of pieces) {
		let offset = x;
		for (const character of output.caches.getStyledChars(line)) {
			cells[offset] = character;
			const width = Math.max(1, output.caches.getStringWidth(character.value));
			for (let index = 1; index < width; index++) {
				cells[offset + index] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
			}

			offset += width;
		}
	}

	return styledCharsToString(cells.filter(cell => cell !== undefined)).trimEnd();
}

/** Replace `Output.prototype.get` by the row-caching one; returns a function that undoes it. */
export function cacheRows(Output: OutputClass): () => void {
	const original = Output.prototype.get;
	let shared: Caches | undefined;
	let rowCache = new Map<string, string>();
	Output.prototype.get = function (this: OutputLike) {
		shared ??= this.caches;
		if (shared.styledChars.size > cacheLimit || shared.widths.size > cacheLimit) {
			shared.styledChars.clear();
			shared.widths.clear();
			shared.blockWidths.clear();
		}

		this.caches = shared;
		if (rowCache.size > cacheLimit) {
			rowCache = new Map();
		}

		const rows = rowPieces(this);
		const lines: string[] = [];
		for (let y = 0; y < this.height; y++) {
			const pieces = rows.get(y) ?? [];
			const key = `${this.width}\u0000${pieces.map(piece => `${piece.x}\u0001${piece.line}`).join('\u0002')}`;
			let line = rowCache.get(key);
			if (line === undefined) {
				line = drawRow(this, pieces);
				rowCache.set(key, line);
			}

			lines.push(line);
		}

		return {output: lines.join('\n'), height: lines.length};
	};

	return () => {
		Output.prototype.get = original;
	};
}

/** Ink's Output class, found beside Ink's entry point; undefined where it cannot be reached. */
export async function inkOutputClass(): Promise<OutputClass | undefined> {
	try {
		const require = createRequire(import.meta.url);
		const file = path.join(path.dirname(require.resolve('ink')), 'output.js');
		const module = await import(pathToFileURL(file).href) as {default?: OutputClass};
		return typeof module.default?.prototype?.get === 'function' ? module.default : undefined;
	} catch {
		return undefined;
	}
}
