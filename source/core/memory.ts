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
	gc({type, execution: 'sync'});
}

/** Counts garbage-making work and collects the young generation every `every` bytes. */
export class GarbageMeter {
	private since = 0;

	constructor(private readonly every = 8 * 1024 * 1024) {}

	add(bytes: number): void {
		this.since += bytes;
		if (this.since >= this.every) {
			this.since = 0;
			collectGarbage('minor');
		}
	}
}
