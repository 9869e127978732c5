import {createContext, useContext, useLayoutEffect, useMemo, useRef, type ReactNode} from 'react';
import {useInput} from 'ink';
import {keymap, type CommandId} from './keymap.js';
import {keyName, type KeyEvent} from './key-name.js';

/**
 * One keypress dispatcher with priorities: modal > palette > focused panel > global. Each layer
 * offers a handler that returns true when it consumed the key; the newest handler of a priority
 * goes first. Components register with useKeyLayer and never call useInput themselves.
 */
export const priority = {global: 10, panel: 20, palette: 30, modal: 40} as const;

export type KeyHandler = (event: KeyEvent) => boolean;

type Layer = {priority: number; order: number; handler: {current: KeyHandler}; active: {current: boolean}};

type Registry = {add: (layer: Layer) => () => void; nextOrder: () => number};

const DispatcherContext = createContext<Registry | undefined>(undefined);

export function KeyDispatcher({children, onKey}: {children: ReactNode; onKey?: (event: KeyEvent) => void}) {
	const layers = useRef<Layer[]>([]);
	const order = useRef(0);
	const registry = useMemo<Registry>(() => ({
		add(layer) {
			layers.current = [...layers.current, layer].sort((a, b) => b.priority - a.priority || b.order - a.order);
			return () => {
				layers.current = layers.current.filter(item => item !== layer);
			};
		},
		nextOrder: () => ++order.current,
	}), []);

	// Keys are handled one at a time, each after React has committed what the previous one
	// changed: keys can arrive faster than frames (paste, key repeat, tmux send-keys, a busy
	// CPU), and a handler that still saw the old state would act on the wrong thing.
	const queue = useRef<KeyEvent[]>([]);
	const draining = useRef(false);
	const drain = async () => {
		if (draining.current) {
			return;
		}

		draining.current = true;
		try {
			for (let event = queue.current.shift(); event; event = queue.current.shift()) {
				onKey?.(event);
				for (const layer of layers.current) {
					if (layer.active.current && layer.handler.current(event)) {
						break;
					}
				}

				if (queue.current.length > 0) {
					await afterRender();
				}
			}
		} finally {
			draining.current = false;
		}
	};

	useInput((input, key) => {
		const characters = [...input];
		if (characters.length > 1 && !key.ctrl && !key.meta && !/[\u0000-\u001F]/.test(input)) {
			// Several keys in one read (fast typing over SSH, tmux send-keys, paste): one event each.
			for (const character of characters) {
				const single = {...key, shift: /[A-Z]/.test(character)};
				queue.current.push({input: character, key: single, name: keyName(character, single)});
			}
		} else {
			queue.current.push({input, key, name: keyName(input, key)});
		}

		void drain();
	});

	return <DispatcherContext.Provider value={registry}>{children}</DispatcherContext.Provider>;
}

/**
 * Commits seen by any component with a key layer. After a key, the next one waits until React
 * has committed (a layer's owner re-rendered) or briefly, if the key changed nothing.
 */
let commits = 0;

async function afterRender(): Promise<void> {
	const before = commits;
	const started = Date.now();
	while (commits === before && Date.now() - started < 100) {
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}
}

/** Offer a handler at a priority while `active`. */
export function useKeyLayer(level: number, handler: KeyHandler, active = true): void {
	const registry = useContext(DispatcherContext);
	const handlerRef = useRef(handler);
	const activeRef = useRef(active);
	handlerRef.current = handler;
	activeRef.current = active;
	useLayoutEffect(() => {
		commits++;
	});
	// A layout effect: registered in the same commit that shows the layer. Passive effects can wait
	// until the next input event, which would then miss a dialog that is already on screen.
	useLayoutEffect(() => {
		if (!registry) {
			return undefined;
		}

		return registry.add({priority: level, order: registry.nextOrder(), handler: handlerRef, active: activeRef});
	}, [registry, level]);
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
