import test from 'ava';
import {etaWarmupMs, nextEta, type EtaSample, type EtaState} from '../../source/core/jobs/eta.js';

/** A job of `total` bytes sampled every 200 ms at `rateAt(ms)` bytes per second. */
function run(total: number, rateAt: (ms: number) => number, untilMs: number): Array<{at: number; etaMs: number | undefined}> {
	const seen: Array<{at: number; etaMs: number | undefined}> = [];
	let state: EtaState | undefined;
	let done = 0;
	for (let at = 200; at <= untilMs; at += 200) {
		const rate = rateAt(at);
		done = Math.min(total, done + (rate / 5));
		const sample: EtaSample = {at, elapsedMs: at, done, total, rate};
		state = nextEta(state, sample);
		seen.push({at, etaMs: state?.etaMs});
	}

	return seen;
}

test('no estimate during the warm-up, nor before anything is done or counted', t => {
	t.is(nextEta(undefined, {at: 1000, elapsedMs: 1000, done: 500, total: 1000, rate: 500}), undefined, 'too early');
	t.is(nextEta(undefined, {at: 5000, elapsedMs: 5000, done: 0, total: 1000, rate: 0}), undefined, 'nothing done');
	t.is(nextEta(undefined, {at: 5000, elapsedMs: 5000, done: 0, total: 0, rate: 0}), undefined, 'nothing counted');
	t.is(nextEta(undefined, {at: 5000, elapsedMs: 5000, done: 1, total: 1000, rate: 1}), undefined, 'under 2 % done');
});

test('a 17 s job that starts slowly (opening, a cold cache) never reads minutes', t => {
	// 1 s at a crawl, then 60 MB/s: about 17 s for 1 GB.
	const seen = run(1e9, ms => (ms < 1000 ? 1e6 : 60e6), 17_000);
	const first = seen.find(item => item.etaMs !== undefined)!;
	t.true(first.at >= etaWarmupMs);
	for (const {at, etaMs} of seen.filter(item => item.etaMs !== undefined)) {
		const truth = Math.max(0, 17_000 - at);
		t.true(etaMs! < 60_000, `at ${at} ms: ${etaMs} ms`);
		t.true(Math.abs(etaMs! - truth) < Math.max(4000, truth * 0.5), `at ${at} ms: ${etaMs} ms, truly ${truth}`);
	}
});

test('a steady job counts down without jumping back up', t => {
	const seen = run(1e9, () => 50e6, 19_000).filter(item => item.etaMs !== undefined);
	for (let index = 1; index < seen.length; index++) {
		t.true(seen[index].etaMs! <= seen[index - 1].etaMs! + 50, `at ${seen[index].at} ms`);
	}
});

test('one slow sample moves the estimate a little, not all the way', t => {
	const before: EtaState = {at: 10_000, etaMs: 10_000};
	const next = nextEta(before, {at: 10_200, elapsedMs: 10_200, done: 5e8, total: 1e9, rate: 1e6})!;
	// The raw guess alone (the slow rate averaged with the run's) would say 20 s.
	t.true(next.etaMs < 15_000, `${next.etaMs} ms`);
	t.true(next.etaMs > 9800, 'it did move toward the slower guess');
});

test('all done: zero left', t => {
	t.is(nextEta({at: 1000, etaMs: 3000}, {at: 3000, elapsedMs: 3000, done: 10, total: 10, rate: 5})!.etaMs, 0);
});
