import type {JobTrack} from '../settings/job-journal-reader.js';
import {formatRate} from '../text/format.js';

/**
 * Throughput of all jobs together over the last minutes, as points a fixed step apart ending at
 * now: each job's mean reported rate around a point, summed over jobs. Values are scaled to one
 * unit chosen from the peak, so the chart's axis reads "MiB/s" rather than raw bytes.
 */
export type ThroughputView = {
	/** Bytes per second per point, oldest first. */
	rates: number[];
	/** The same in `unit`. */
	values: number[];
	unit: string;
	/** One label per point: "-4m" at each whole minute, "now" at the end, else empty. */
	labels: string[];
	/** Every how many points a label stands (for charts that thin labels out). */
	labelEvery: number;
	current: string;
	peak: string;
	windowMs: number;
};

const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'];

export function throughput(tracks: JobTrack[], now: number, windowMs = 5 * 60_000, stepMs = 5000): ThroughputView {
	const points = Math.round(windowMs / stepMs) + 1;
	const first = now - windowMs;
	const rates = Array.from({length: points}, () => 0);
	for (const track of tracks) {
		const sums = Array.from({length: points}, () => 0);
		const counts = Array.from({length: points}, () => 0);
		for (const sample of track.samples) {
			const point = Math.round((sample.time - first) / stepMs);
			if (point < 0 || point >= points || sample.time > now) {
				continue;
			}

			sums[point] += sample.rate;
			counts[point]++;
		}

		for (let point = 0; point < points; point++) {
			if (counts[point] > 0) {
				rates[point] += sums[point] / counts[point];
			}
		}
	}

	const peak = Math.max(0, ...rates);
	let unit = 0;
	while (unit < units.length - 1 && peak >= 1024 ** (unit + 1)) {
		unit++;
	}

	const scale = 1024 ** unit;
	const labelEvery = Math.max(1, Math.round(60_000 / stepMs));
	const labels = rates.map((_, point) => {
		const ago = (points - 1 - point) * stepMs;
		if (ago === 0) {
			return 'now';
		}

		return (points - 1 - point) % labelEvery === 0 ? `-${Math.round(ago / 60_000)}m` : '';
	});
	const current = tracks
		.filter(track => track.status === 'running' && track.last && now - track.lastTime < 10_000)
		.reduce((sum, track) => sum + Math.max(0, track.last!.rate), 0);
	return {
		rates,
		values: rates.map(rate => Math.round((rate / scale) * 10) / 10),
		unit: units[unit],
		labels,
		labelEvery,
		current: formatRate(current),
		peak: formatRate(Math.max(peak, current)),
		windowMs,
	};
}
