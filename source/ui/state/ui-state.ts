import type {DrillReport} from '../../report/drill-report.js';
import type {CommandId, Scope} from '../keymap/keymap.js';

/**
 * What the shell shows: the active view, detail tabs, focus, and the stack of overlays (palette,
 * help, dialogs). A plain reducer: keys become actions, actions become the next state.
 */

export const views = ['drives', 'backup', 'generations', 'restore', 'verify', 'compliance', 'drills', 'settings'] as const;
export type ViewId = typeof views[number];

export type GenerationRef = {repositoryId: string; generationId: string; label: string; seq: number};

export type DetailTab
	= | {kind: 'browse'; id: string; generation: GenerationRef; include?: string}
		| {kind: 'diff'; id: string; before: GenerationRef; after: GenerationRef}
		| {kind: 'drive'; id: string; driveName: string}
		| {kind: 'report'; id: string; report: DrillReport}
		| {kind: 'scratch'; id: string};

/** 'panel' is the job list, 'log' the log: both in the bottom panel. */
export type Focus = 'sidebar' | 'editor' | 'panel' | 'log';

export type Overlay
	= | {kind: 'palette'; context?: ContextCommand[]}
		| {kind: 'help'; scopes?: Scope[]}
		| {kind: 'quit'}
		| {kind: 'confirm'; title: string; body: string[]; expect?: string; onConfirm: () => void}
		| {kind: 'prompt'; title: string; body?: string[]; mask?: boolean; initial?: string; toggle?: {label: string; initial: boolean}; onSubmit: (value: string, toggled: boolean) => void; onCancel?: () => void}
		| {kind: 'message'; title: string; body: string[]; level: 'info' | 'error'};

/** A keymap entry of where the palette was opened from, with what it does there (undefined: not now). */
export type ContextCommand = {id: CommandId; run: (() => void) | undefined};

export type RestorePick = {generation: GenerationRef; include?: string};

export type UiState = {
	view: ViewId;
	tabs: DetailTab[];
	/** 'view' for the main view's tab, else a detail tab id. */
	activeTab: string;
	focus: Focus;
	overlays: Overlay[];
	restorePick?: RestorePick;
	marked?: GenerationRef;
	/** Where each open tab was opened from, so closing it goes back there. */
	origins?: Record<string, {tab: string; view: ViewId}>;
};

export type UiAction
	= | {type: 'view'; view: ViewId; keepFocus?: boolean}
		| {type: 'openTab'; tab: DetailTab}
		| {type: 'closeTab'; id?: string}
		| {type: 'cycleTab'; step: 1 | -1}
		| {type: 'focus'; focus: Focus}
		| {type: 'cycleFocus'; step: 1 | -1}
		| {type: 'push'; overlay: Overlay}
		| {type: 'pop'}
		| {type: 'restorePick'; pick: RestorePick | undefined}
		| {type: 'mark'; generation: GenerationRef | undefined};

export const initialUiState = (view: ViewId = 'drives'): UiState => ({view, tabs: [], activeTab: 'view', focus: 'editor', overlays: []});

const focusOrder: Focus[] = ['sidebar', 'editor', 'panel', 'log'];

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'view': {
			return {...state, view: action.view, activeTab: 'view', focus: action.keepFocus ? state.focus : 'editor'};
		}

		case 'openTab': {
			const exists = state.tabs.some(tab => tab.id === action.tab.id);
			const tabs = exists ? state.tabs.map(tab => tab.id === action.tab.id ? action.tab : tab) : [...state.tabs, action.tab].slice(-6);
			const origins = state.activeTab === action.tab.id ? state.origins : {...state.origins, [action.tab.id]: {tab: state.activeTab, view: state.view}};
			return {...state, tabs, activeTab: action.tab.id, focus: 'editor', ...(origins ? {origins} : {})};
		}

		case 'closeTab': {
			const id = action.id ?? state.activeTab;
			if (id === 'view') {
				return state;
			}

			const index = state.tabs.findIndex(tab => tab.id === id);
			const tabs = state.tabs.filter(tab => tab.id !== id);
			const {[id]: origin, ...origins} = state.origins ?? {};
			if (state.activeTab !== id) {
				return {...state, tabs, origins};
			}

			// Back where it was opened from (that tab, or that view), else to its left neighbour.
			if (origin && (origin.tab === 'view' || tabs.some(tab => tab.id === origin.tab))) {
				return {...state, tabs, origins, activeTab: origin.tab, view: origin.view};
			}

			return {...state, tabs, origins, activeTab: tabs[Math.min(index, tabs.length) - 1]?.id ?? 'view'};
		}

		case 'cycleTab': {
			const ids = ['view', ...state.tabs.map(tab => tab.id)];
			const index = ids.indexOf(state.activeTab);
			return {...state, activeTab: ids[(index + action.step + ids.length) % ids.length], focus: 'editor'};
		}

		case 'focus': {
			return {...state, focus: action.focus};
		}

		case 'cycleFocus': {
			const index = focusOrder.indexOf(state.focus);
			return {...state, focus: focusOrder[(index + action.step + focusOrder.length) % focusOrder.length]};
		}

		case 'push': {
			return {...state, overlays: [...state.overlays, action.overlay]};
		}

		case 'pop': {
			return {...state, overlays: state.overlays.slice(0, -1)};
		}

		case 'restorePick': {
			return action.pick ? {...state, restorePick: action.pick} : {...state, restorePick: undefined};
		}

		case 'mark': {
			return action.generation ? {...state, marked: action.generation} : {...state, marked: undefined};
		}
	}
}
