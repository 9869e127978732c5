import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

/**
 * Ink holds a frame back for up to 1000/maxFps ms after the previous one (a debounce with a
 * leading edge), so a key typed just after a progress frame, or just after the previous key's
 * frame, waited about 50 ms at 20 frames a second before it showed. Keys should not wait: once
 * the dispatcher has applied every key typed, the frame it holds back is drawn at once. Progress
 * and bursts keep the throttle (a burst of keys still makes one frame, not one per key).
 *
 * Ink does not export its instance, so it is reached by file, as ink-row-cache.ts does with its
 * Output; where that fails the console keeps Ink's own timing.
 */
type InkInstance = {throttledOnRender?: {flush?: () => void}};

export async function inkFrameFlusher(stdout: object): Promise<() => void> {
	try {
		const require = createRequire(import.meta.url);
		const file = path.join(path.dirname(require.resolve('ink')), 'instances.js');
		const module = await import(pathToFileURL(file).href) as {default?: WeakMap<object, InkInstance>};
		return () => {
			module.default?.get(stdout)?.throttledOnRender?.flush?.();
		};
	} catch {
		return () => undefined;
	}
}
