import {useCallback, useLayoutEffect, useRef, useState} from 'react';
import {markCommitted, requestCommit, type Tracked} from './render-fence.js';

/**
 * A reducer whose latest state a key handler can read synchronously (`read()`), before React has
 * rendered it: two keys in one burst each see what the one before did (the ink-ui use-x-state
 * pattern, with a ref). Each change is also registered with the render fence, so the dispatcher
 * holds the next key until the change is committed.
 */
export type Synced<S, A> = {state: S; dispatch: (action: A) => void; read: () => S};

export function useSyncedReducer<S, A>(reducer: (state: S, action: A) => S, initial: () => S, onChange?: (state: S) => void): Synced<S, A> {
	const store = useRef<{state: S; tracked: Tracked} | undefined>(undefined);
	store.current ??= {state: initial(), tracked: {requested: 0, committed: 0}};
	const latest = useRef({reducer, onChange});
	latest.current = {reducer, onChange};
	const [version, setVersion] = useState(0);
	const dispatch = useCallback((action: A) => {
		const current = store.current!;
		const next = latest.current.reducer(current.state, action);
		if (Object.is(next, current.state)) {
			return;
		}

		current.state = next;
		latest.current.onChange?.(next);
		setVersion(requestCommit(current.tracked));
	}, []);
	const read = useCallback(() => store.current!.state, []);
	const {tracked} = store.current;
	useLayoutEffect(() => {
		markCommitted(tracked, version);
	}, [tracked, version]);
	// Unmounted before its change was drawn: nothing will commit it, so stop waiting for it.
	useLayoutEffect(() => () => {
		markCommitted(tracked);
	}, [tracked]);
	return {state: store.current.state, dispatch, read};
}

type SetState<T> = (value: T | ((previous: T) => T)) => void;

export const replace = <T>(previous: T, next: T | ((previous: T) => T)): T => typeof next === 'function' ? (next as (previous: T) => T)(previous) : next;

/** UseState on the same terms: the setter applies at once, `read()` sees it, the fence waits for it. */
export function useSyncedState<T>(initial: T | (() => T), onChange?: (state: T) => void): [T, SetState<T>, () => T] {
	const {state, dispatch, read} = useSyncedReducer<T, T | ((previous: T) => T)>(replace, () => typeof initial === 'function' ? (initial as () => T)() : initial, onChange);
	return [state, dispatch, read];
}
