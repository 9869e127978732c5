/**
 * The p50 / p95 / max of the key latencies bench/key-latency.ts recorded, per probe and over all
 * keys, for each terminal size. Usage: tsx bench/latency-summary.ts LABEL=FILE.jsonl ...
 */
import {readFileSync} from 'node:fs';

const goalMs = 100;

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function row(name: string, values: number[]): string {
	const sorted = [...values].sort((a, b) => a - b);
	const cell = (v: number) => v.toFixed(0).padStart(6);
	return `${name.padEnd(16)} ${String(values.length).padStart(4)} ${cell(quantile(sorted, 0.5))} ${cell(quantile(sorted, 0.95))} ${cell(sorted.at(-1) ?? Number.NaN)}`;
}

for (const argument of process.argv.slice(2)) {
	const [label, file] = argument.split('=') as [string, string];
	const samples = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(line => JSON.parse(line) as {key: string; ms: number});
	const byKey = new Map<string, number[]>();
	for (const {key, ms} of samples) {
		byKey.set(key, [...byKey.get(key) ?? [], ms]);
	}

	console.log(`\nkey latency during a backup, ${label} (ms; goal p95 < ${goalMs})`);
	console.log(`${'key'.padEnd(16)} ${'n'.padStart(4)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'max'.padStart(6)}`);
	for (const [key, values] of byKey) {
		console.log(row(key, values));
	}

	const all = samples.map(s => s.ms);
	console.log(row('all keys', all));
	const p95 = quantile([...all].sort((a, b) => a - b), 0.95);
	console.log(p95 < goalMs ? `p95 ${p95.toFixed(0)} ms: within the goal` : `p95 ${p95.toFixed(0)} ms: over the ${goalMs} ms goal`);
}
