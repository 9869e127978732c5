/**
 * Which state stores have changed and not yet been committed by React. The key dispatcher hands
 * the next key over only once every change the previous key made is on screen (the layers, the
 * closures and the cursor it reads are then those of the new state): keys arrive faster than
 * frames over SSH, in a paste or from tmux send-keys, and must apply in order all the same.
 */
export type Tracked = {requested: number; committed: number};

const uncommitted = new Set<Tracked>();
let waiters: Array<() => void> = [];

/** A store changed: returns the version its next render must commit. */
export function requestCommit(tracked: Tracked): number {
	tracked.requested++;
	uncommitted.add(tracked);
	return tracked.requested;
}

/** A store's render with `version` was committed (or it unmounted: nothing left to wait for). */
export function markCommitted(tracked: Tracked, version = tracked.requested): void {
	tracked.committed = Math.max(tracked.committed, version);
	if (tracked.committed >= tracked.requested) {
		uncommitted.delete(tracked);
	}

	if (uncommitted.size === 0 && waiters.length > 0) {
		const done = waiters;
		waiters = [];
		for (const resolve of done) {
			resolve();
		}
	}
}

/** Resolves once React has committed every store change made so far. */
export async function allCommitted(): Promise<void> {
	if (uncommitted.size === 0) {
		return;
	}

	return new Promise(resolve => {
		waiters.push(resolve);
	});
}
