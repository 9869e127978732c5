/**
 * The throughput chart as text, for small panels and for terminals without UTF-8 (blessed-
 * contrib's line chart draws braille and needs room for its axes): columns of eighth blocks, or
 * of `#` in ASCII, a y axis with the peak, and the time labels underneath.
 */
const eighths = ['', '▁', '▂', '▃', '▄', '▅', '▆', '▇'];

function resample(values: number[], width: number): number[] {
	if (values.length === 0 || width <= 0) {
		return [];
	}

	return Array.from({length: width}, (_, column) => {
		const from = Math.floor((column * values.length) / width);
		const to = Math.max(from + 1, Math.floor(((column + 1) * values.length) / width));
		return Math.max(...values.slice(from, to));
	});
}

function axisNumber(value: number): string {
	return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

/** One cell of a column `level` rows high (fractional), at `row` counted from the bottom. */
function cell(level: number, row: number, unicode: boolean): string {
	if (level >= row + 1) {
		return unicode ? '█' : '#';
	}

	const part = level - row;
	if (part <= 0) {
		return ' ';
	}

	if (!unicode) {
		return part >= 0.5 ? '#' : (part > 0 ? '.' : ' ');
	}

	return eighths[Math.max(1, Math.round(part * 8))] ?? '█';
}

function labelLine(labels: string[], width: number): string {
	const line = Array.from({length: width}, () => ' ');
	let free = 0;
	for (const [index, label] of labels.entries()) {
		if (!label || label.length > width) {
			continue;
		}

		const centre = Math.round(((index + 0.5) * width) / labels.length);
		const column = Math.min(width - label.length, Math.max(0, centre - Math.floor(label.length / 2)));
		if (column < free) {
			continue;
		}

		for (const [offset, character] of [...label].entries()) {
			line[column + offset] = character;
		}

		free = column + label.length + 1;
	}

	return line.join('');
}

export function textChart(values: number[], labels: string[], width: number, height: number, unicode: boolean): string[] {
	const plotRows = Math.max(1, height - 1);
	const peak = Math.max(0, ...values);
	const top = peak > 0 ? axisNumber(peak) : '';
	const axisWidth = Math.max(1, top.length) + 1;
	const plotWidth = Math.max(1, width - axisWidth - 1);
	const levels = resample(values, plotWidth).map(value => (peak > 0 ? (value / peak) * plotRows : 0));
	const lines: string[] = [];
	for (let row = plotRows - 1; row >= 0; row--) {
		const axis = row === plotRows - 1 ? top : (row === 0 ? '0' : '');
		lines.push(`${axis.padStart(axisWidth - 1)} ${unicode ? '│' : '|'}${levels.map(level => cell(level, row, unicode)).join('')}`);
	}

	lines.push(`${' '.repeat(axisWidth)}${unicode ? '└' : '+'}${labelLine(labels, plotWidth)}`);
	return lines.slice(-height);
}
