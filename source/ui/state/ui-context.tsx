import {createContext, useContext, useRef, useState, type Dispatch, type ReactNode} from 'react';
import type {Session} from '../../app/session.js';
import type {UiAction, UiState} from './ui-state.js';

/**
 * Contexts the views read: the session (engine-side state and intents), the shell's UI state and
 * its dispatch, and a small store that keeps each view's cursor while the user is elsewhere.
 */
type Ui = {state: UiState; dispatch: Dispatch<UiAction>};

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

/** UseState that survives the view being switched away and back. */
export function useRemembered<T>(key: string, initial: T): [T, (value: T | ((previous: T) => T)) => void] {
	const memory = useContext(MemoryContext);
	const [value, setValue] = useState<T>(() => (memory.has(key) ? memory.get(key) as T : initial));
	const set = (next: T | ((previous: T) => T)) => {
		setValue(previous => {
			const resolved = typeof next === 'function' ? (next as (previous: T) => T)(previous) : next;
			memory.set(key, resolved);
			return resolved;
		});
	};

	return [value, set];
}
