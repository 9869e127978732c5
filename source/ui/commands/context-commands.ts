import {keymap, overlayScopes, type Binding, type Scope} from '../keymap/keymap.js';
import {keyEvent, type KeyEvent} from '../keymap/key-name.js';
import type {ActiveCommand} from '../keymap/dispatcher.js';
import type {ContextCommand, Focus} from '../state/ui-state.js';

/**
 * The palette is the keymap: every entry of the scopes active where it was opened (the view's
 * own first, then lists, the jobs panel, everywhere), each with its action. An entry a layer
 * gave an action runs that; any other runs as its key would, replayed once the palette is gone.
 */
const general: Scope[] = ['list', 'panel', 'global'];

function rank(scope: Scope): number {
	return general.indexOf(scope) + 1;
}

/** The entries for these scopes, in palette order. */
export function contextBindings(scopes: Scope[], focus: Focus): Binding[] {
	const wanted = new Set<Scope>([...scopes, 'global']);
	return keymap
		// Outside the panel only its cancel applies (the view's ↑↓ move the view's own list).
		.filter(binding => wanted.has(binding.scope) && !overlayScopes.includes(binding.scope) && (binding.scope !== 'panel' || focus === 'panel' || binding.id === 'job.cancel'))
		.map((binding, index) => ({binding, index}))
		.sort((a, b) => rank(a.binding.scope) - rank(b.binding.scope) || a.index - b.index)
		.map(({binding}) => binding);
}

export function contextCommands(scopes: Scope[], focus: Focus, registered: ActiveCommand[], replay: (event: KeyEvent) => void): ContextCommand[] {
	const actions = new Map(registered.map(command => [command.id, command.run]));
	const replayed = (key: string) => () => {
		replay(keyEvent(key));
	};

	return contextBindings(scopes, focus).map(binding => ({id: binding.id, run: actions.has(binding.id) ? actions.get(binding.id) : replayed(binding.keys[0])}));
}
