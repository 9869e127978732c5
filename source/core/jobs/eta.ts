/**
 * A time-left estimate that reads right: none until the job has run long enough and done enough
 * to guess from (the first seconds of a job, opening and scanning, say nothing of its speed: a
 * 17 s job once read "6:18"), then counting down in real time and pulled only gently toward each
 * new raw estimate, so it neither jumps nor jitters.
 */
export type EtaState = {at: number; etaMs: number};

export type EtaSample = {
	/** Milliseconds on a monotonic clock. */
	at: number;
	elapsedMs: number;
	done: number;
	total: number;
	/** Recent rate, units of `done` per second. */
	rate: number;
};

/** Seconds of work and share done before a first estimate. */
export const etaWarmupMs = 1500;
export const etaWarmupShare = 0.02;
/** Weight of each new raw estimate. */
const pull = 0.25;

export function nextEta(previous: EtaState | undefined, sample: EtaSample): EtaState | undefined {
	const {at, elapsedMs, done, total, rate} = sample;
	if (total <= 0 || done <= 0 || elapsedMs < etaWarmupMs || done / total < etaWarmupShare) {
		return undefined;
	}

	const left = Math.max(0, total - done);
	// The whole run's average steadies the recent rate (a burst from the cache, a slow file).
	const average = done / (elapsedMs / 1000);
	const speed = rate > 0 ? (rate + average) / 2 : average;
	const raw = (left / speed) * 1000;
	if (!previous) {
		return {at, etaMs: raw};
	}

	const counted = Math.max(0, previous.etaMs - (at - previous.at));
	return {at, etaMs: left === 0 ? 0 : counted + (pull * (raw - counted))};
}
