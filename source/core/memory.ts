import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Explicit garbage collection at known quiet points. Chunk buffers live outside the JS heap and
 * V8 only counts them toward a collection after tens of megabytes per thread; collecting at
 * phase ends and every few megabytes in workers keeps peak memory flat (DESIGN §8: <= 300 MB).
 */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options?: {type: 'minor' | 'major'; execution?: 'sync'}) => void;

export function collectGarbage(type: 'minor' | 'major' = 'major'): void {
	// A plain gc() is the full collection everywhere: Node 20's V8 took {type: 'major', execution:
	// 'sync'} for a scavenge, so every "major" collection was a minor one there.
	if (type === 'major') {
		gc();
	} else {
		gc({type: 'minor'});
	}
}

/**
 * Counts garbage-making work and collects the young generation every `every` bytes. With
 * `oldSlack`, also the old generation whenever it has grown by that much since the last full
 * collection: V8 alone let 200 MB of dead worker messages pile up in a 200,000-file backup
 * before its next full collection, and the process kept those pages.
 */
export class GarbageMeter {
	private since = 0;
	private live = 0;

	constructor(private readonly every = 8 * 1024 * 1024, private readonly oldSlack?: number) {
		if (oldSlack !== undefined) {
			collectGarbage('major');
			this.live = usedHeap();
		}
	}

	add(bytes: number): void {
		this.since += bytes;
		if (this.since < this.every) {
			return;
		}

		this.since = 0;
		collectGarbage('minor');
		if (this.oldSlack !== undefined && usedHeap() > this.live + this.oldSlack) {
			collectGarbage('major');
			this.live = usedHeap();
		}
	}
}

function usedHeap(): number {
	return v8.getHeapStatistics().used_heap_size;
}
