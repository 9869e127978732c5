import test from 'ava';
import {cacheRows, inkOutputClass, type OutputClass} from '../../source/ui/ink-row-cache.js';

/**
 * The row cache must give exactly the frame Ink's own Output.get gives: the same writes (colours,
 * wide characters, clips, transformers, writes off the grid) go through both, and then through
 * the cached one a second time (the rows now come from the cache).
 */
type OutputInstance = {write: (x: number, y: number, text: string, options: {transformers: Array<(line: string, index: number) => string>}) => void; clip: (clip: Record<string, number>) => void; unclip: () => void; get: () => {output: string; height: number}};
type OutputConstructor = OutputClass & (new (options: {width: number; height: number}) => OutputInstance);

// A small deterministic generator: the same cases on every run.
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = ((state * 1_103_515_245) + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

const pieces = ['a', 'Z', ' ', '7', '─', '│', '●', '○', '✓', '…', '世', '代', '患者', 'ｶﾙﾃ', '\u001B[31m', '\u001B[1m', '\u001B[0m', '\u001B[7m', '\u001B[27m', '\u001B[90m'];

function text(next: () => number): string {
	const lines = Array.from({length: 1 + Math.floor(next() * 3)}, () => Array.from({length: Math.floor(next() * 30)}, () => pieces[Math.floor(next() * pieces.length)]).join(''));
	return lines.join('\n');
}

function frameOps(seed: number, width: number, height: number): Array<(output: OutputInstance) => void> {
	const next = random(seed);
	const ops: Array<(output: OutputInstance) => void> = [];
	let open = 0;
	for (let index = 0; index < 40; index++) {
		const roll = next();
		if (roll < 0.1) {
			const clip = {x1: Math.floor(next() * width), x2: Math.floor(next() * width) + 5, y1: Math.floor(next() * height), y2: Math.floor(next() * height) + 2};
			ops.push(output => {
				output.clip(clip);
			});
			open++;
		} else if (roll < 0.15 && open > 0) {
			ops.push(output => {
				output.unclip();
			});
			open--;
		} else {
			const x = Math.floor(next() * (width + 10)) - 5;
			const y = Math.floor(next() * (height + 4)) - 2;
			const value = text(next);
			const transformers = next() < 0.3 ? [(line: string, lineIndex: number) => `\u001B[36m${line}${lineIndex}\u001B[39m`] : [];
			ops.push(output => {
				output.write(x, y, value, {transformers});
			});
		}
	}

	return ops;
}

function frame(Output: OutputConstructor, width: number, height: number, ops: Array<(output: OutputInstance) => void>): string {
	const output = new Output({width, height});
	for (const op of ops) {
		op(output);
	}

	return output.get().output;
}

test('the row cache draws every frame exactly as Ink does', async t => {
	const Output = await inkOutputClass() as OutputConstructor | undefined;
	// Without it the console would run on Ink's slower frame building.
	t.truthy(Output, 'Ink\'s Output class is found beside Ink');
	const cases = Array.from({length: 300}, (_, index) => ({seed: index + 1, width: 20 + ((index % 7) * 30), height: 5 + ((index % 5) * 10)}));
	const draw = () => cases.map(({seed, width, height}) => frame(Output!, width, height, frameOps(seed, width, height)));
	const expected = draw();
	const uncache = cacheRows(Output!);
	try {
		const first = draw();
		const cached = draw();
		const differ = (frames: string[]) => cases.filter((_, index) => frames[index] !== expected[index]).map(({seed}) => seed);
		t.deepEqual(differ(first), [], 'cases drawn differently, first pass');
		t.deepEqual(differ(cached), [], 'cases drawn differently, from the cache');
		t.is(cached.join('\n').length, expected.join('\n').length);
	} finally {
		uncache();
	}
});
