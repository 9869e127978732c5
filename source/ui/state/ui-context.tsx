import {createContext, useCallback, useContext, useRef, type ReactNode} from 'react';
import type {Session} from '../../app/session.js';
import type {UiAction, UiState} from './ui-state.js';
import {replace, useSyncedReducer, type Synced} from './use-synced-reducer.js';

/**
 * Contexts the views read: the session (engine-side state and intents), the shell's UI state and
 * its dispatch, and a small store that keeps each view's cursor while the user is elsewhere.
 */
/** `read()` is the state as of the last dispatch, which a key handler may need before a render. */
type Ui = {state: UiState; dispatch: (action: UiAction) => void; read: () => UiState};

const SessionContext = createContext<Session | undefined>(undefined);
const UiContext = createContext<Ui | undefined>(undefined);
const MemoryContext = createContext<Map<string, unknown>>(new Map());

export function UiProviders({session, ui, children}: {session: Session; ui: Ui; children: ReactNode}) {
	const memory = useRef(new Map<string, unknown>());
	return (
		<SessionContext.Provider value={session}>
			<UiContext.Provider value={ui}>
				<MemoryContext.Provider value={memory.current}>{children}</MemoryContext.Provider>
			</UiContext.Provider>
		</SessionContext.Provider>
	);
}

export function useSession(): Session {
	const session = useContext(SessionContext);
	if (!session) {
		throw new Error('useSession outside UiProviders');
	}

	return session;
}

export function useUi(): Ui {
	const ui = useContext(UiContext);
	if (!ui) {
		throw new Error('useUi outside UiProviders');
	}

	return ui;
}

/** A synced reducer (see use-synced-reducer) whose state survives the view being switched away and back. */
export function useRememberedReducer<S, A>(key: string, reducer: (state: S, action: A) => S, initial: (remembered: S | undefined) => S): Synced<S, A> {
	const memory = useContext(MemoryContext);
	return useSyncedReducer(reducer, () => initial(memory.get(key) as S | undefined), state => {
		memory.set(key, state);
	});
}

/** UseState that survives the view being switched away and back; the setter applies at once. */
export function useRemembered<T>(key: string, initial: T): [T, (value: T | ((previous: T) => T)) => void, () => T] {
	const {state, dispatch, read} = useRememberedReducer<T, T | ((previous: T) => T)>(key, replace, remembered => remembered ?? initial);
	return [state, dispatch, read];
}

/** Set what another view finds remembered when it opens next (e.g. the Verify view's level). */
export function useRememberFor(): (key: string, value: unknown) => void {
	const memory = useContext(MemoryContext);
	return useCallback((key: string, value: unknown) => {
		memory.set(key, value);
	}, [memory]);
}
