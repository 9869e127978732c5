import {createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, type ReactNode} from 'react';
import {useInput, type Key} from 'ink';
import {allCommitted} from '../state/render-fence.js';
import {keymap, type CommandId} from './keymap.js';
import type {KeyEvent} from './key-name.js';
import {splitKeys} from './split-keys.js';

/**
 * One keypress dispatcher with priorities: modal > palette > focused panel > global. Each layer
 * offers a handler that returns true when it consumed the key; the newest handler of a priority
 * goes first. Components register with useKeyLayer and never call useInput themselves.
 */
export const priority = {global: 10, panel: 20, palette: 30, modal: 40} as const;

export type KeyHandler = (event: KeyEvent) => boolean;

/**
 * A layer's keymap entries with their actions: what its keys do, and what the palette offers.
 * An entry mapped to undefined is known here but cannot run now (nothing selected, say).
 */
export type Commands = Partial<Record<CommandId, (() => void) | undefined>>;

/** One keymap entry as the palette offers it. */
export type ActiveCommand = {id: CommandId; run: (() => void) | undefined};

type Layer = {priority: number; order: number; handler: {current: KeyHandler}; active: {current: boolean}; commands?: {current: Commands}};

type Registry = {add: (layer: Layer) => () => void; nextOrder: () => number; active: () => ActiveCommand[]; replay: (event: KeyEvent) => void};

const DispatcherContext = createContext<Registry | undefined>(undefined);

export function KeyDispatcher({children, onKey, onSettled}: {children: ReactNode; onKey?: (event: KeyEvent) => void; onSettled?: () => void}) {
	const layers = useRef<Layer[]>([]);
	const order = useRef(0);
	const queue = useRef<KeyEvent[]>([]);
	const registry = useMemo<Registry>(() => ({
		// After the keys already typed, as if typed next: the palette runs an entry the way its key does.
		replay(event) {
			queue.current.push(event);
			void drainRef.current();
		},
		add(layer) {
			layers.current = [...layers.current, layer].sort((a, b) => b.priority - a.priority || b.order - a.order);
			return () => {
				layers.current = layers.current.filter(item => item !== layer);
			};
		},
		nextOrder: () => ++order.current,
		// The entries of the layers on now, the focused one first: the palette's context.
		active() {
			const seen = new Set<CommandId>();
			const found: ActiveCommand[] = [];
			for (const layer of layers.current) {
				if (!layer.active.current || !layer.commands) {
					continue;
				}

				for (const [id, run] of Object.entries(layer.commands.current) as Array<[CommandId, ActiveCommand['run']]>) {
					if (!seen.has(id)) {
						seen.add(id);
						found.push({id, run});
					}
				}
			}

			return found;
		},
	}), []);

	// Keys are handled one at a time, in the order typed, each after React has committed what the
	// previous one changed (the render fence): a view switched to has its layer registered, a
	// cursor moved is where the next key's handler looks. Keys typed meanwhile wait in the queue.
	const draining = useRef(false);
	const deliver = (event: KeyEvent) => {
		onKeyRef.current?.(event);
		for (const layer of layers.current) {
			if (layer.active.current && layer.handler.current(event)) {
				break;
			}
		}
	};

	const drain = async () => {
		if (draining.current) {
			return;
		}

		draining.current = true;
		try {
			for (let event = queue.current.shift(); event; event = queue.current.shift()) {
				deliver(event);
				await settled();
			}
		} finally {
			draining.current = false;
		}

		// Every key typed is applied: its frame goes out now, not when the frame throttle allows.
		onSettledRef.current?.();
	};

	const drainRef = useRef(drain);
	drainRef.current = drain;
	const onKeyRef = useRef(onKey);
	onKeyRef.current = onKey;
	const onSettledRef = useRef(onSettled);
	onSettledRef.current = onSettled;
	const onInput = useRef((input: string, key: Key) => {
		queue.current.push(...splitKeys(input, key));
		void drain();
	});
	// A stable handler: Ink re-subscribes whenever the function passed to useInput changes.
	useInput(useCallback((input: string, key: Key) => {
		onInput.current(input, key);
	}, []));

	return <DispatcherContext.Provider value={registry}>{children}</DispatcherContext.Provider>;
}

/**
 * Until the previous key's changes are committed; then past one macrotask, so that React's own
 * scheduled work (a layout effect's update, a passive effect) runs first too. A change React
 * never commits cannot freeze the keyboard: after a second the next key goes anyway.
 */
async function settled(): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([allCommitted(), new Promise(resolve => {
		timer = setTimeout(resolve, 1000);
	})]);
	clearTimeout(timer);
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

/** Offer a handler at a priority while `active`. */
export function useKeyLayer(level: number, handler: KeyHandler, active = true, commands?: Commands): void {
	const registry = useContext(DispatcherContext);
	const handlerRef = useRef(handler);
	const activeRef = useRef(active);
	const commandsRef = useRef(commands ?? {});
	handlerRef.current = handler;
	activeRef.current = active;
	commandsRef.current = commands ?? {};
	// A layout effect: registered in the same commit that shows the layer. Passive effects can wait
	// until the next input event, which would then miss a dialog that is already on screen.
	useLayoutEffect(() => {
		if (!registry) {
			return undefined;
		}

		return registry.add({priority: level, order: registry.nextOrder(), handler: handlerRef, active: activeRef, ...(commands ? {commands: commandsRef} : {})});
	}, [registry, level]);
}

/**
 * Keymap entries with their actions as one layer: a key runs the first entry it is bound to, and
 * the palette lists them all. `before` sees each key first (a list's filter takes every key).
 */
export function useCommands(level: number, commands: Commands, active = true, before?: KeyHandler): void {
	useKeyLayer(level, event => {
		if (before?.(event)) {
			return true;
		}

		for (const [id, run] of Object.entries(commands) as Array<[CommandId, ActiveCommand['run']]>) {
			if (run && is(id, event)) {
				run();
				return true;
			}
		}

		return false;
	}, active, commands);
}

/** The keymap entries of the layers on now (read when the palette opens, before it takes the keys), and the key replayer. */
export function useActiveCommands(): {active: () => ActiveCommand[]; replay: (event: KeyEvent) => void} {
	const registry = useContext(DispatcherContext);
	return useMemo(() => ({
		active: () => registry?.active() ?? [],
		replay(event: KeyEvent) {
			registry?.replay(event);
		},
	}), [registry]);
}

const bindings = new Map<CommandId, Set<string>>(keymap.map(binding => [binding.id, new Set(binding.keys)]));

/** Whether a key event is bound to a command. */
export function is(id: CommandId, event: KeyEvent): boolean {
	return bindings.get(id)?.has(event.name) ?? false;
}

/** A printable character for text inputs (not a control or navigation key). */
export function printable(event: KeyEvent): string | undefined {
	const {key, input} = event;
	if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.backspace || key.delete || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageDown || key.pageUp) {
		return undefined;
	}

	return input && !/[\u0000-\u001F]/.test(input) ? input : undefined;
}

export {type KeyEvent} from './key-name.js';
