import {useEffect, useRef} from 'react';
import {Box, useStdout} from 'ink';
import {useSyncedState} from '../../state/use-synced-reducer.js';
import {useI18n} from '../../i18n/i18n.js';
import {useIntents} from '../../intents.js';
import {useJobs} from '../../hooks/use-live.js';
import {useTerminalSize} from '../../hooks/use-terminal-size.js';
import {is, priority, useActiveCommands, useKeyLayer} from '../../keymap/dispatcher.js';
import {contextCommands} from '../../commands/context-commands.js';
import type {CommandId, Scope} from '../../keymap/keymap.js';
import {useSession, useUi} from '../../state/ui-context.js';
import {views, type Overlay, type UiState, type ViewId} from '../../state/ui-state.js';
import type {Job} from '../../../app/job-queue.js';
import {Editor} from './editor.js';
import {Sidebar} from './sidebar.js';
import {TabBar} from './tab-bar.js';
import {BottomPanel} from './bottom-panel.js';
import {HintBar, StatusBar} from './status-bar.js';
import {TooSmall, minColumns, minRows} from './too-small.js';
import {OverlayView} from './overlays.js';

/**
 * The VS Code–style shell: activity sidebar, tabbed editor, bottom panel (jobs and log), status
 * bar and key hints. The root is rows-1 high: Ink clears the whole screen on every frame once
 * output reaches the terminal's height.
 */
const viewKeys: Array<[CommandId, ViewId]> = views.map(view => [`view.${view}` as CommandId, view]);

export function layoutFor(columns: number, rows: number, reserveRows = 1, logFocused = false): {sidebar: number; panel: number; top: number; editor: number} {
	const sidebar = columns >= 120 ? 20 : 16;
	const usual = rows >= 40 ? 12 : (rows >= 30 ? 8 : 5);
	// Reading the log: half the screen for it, the view above stays in sight.
	const panel = logFocused ? Math.max(usual, Math.floor((rows - reserveRows) / 2)) : usual;
	const top = rows - reserveRows - panel - 2;
	return {sidebar, panel, top, editor: columns - sidebar};
}

export function scopesFor(state: UiState): Scope[] {
	if (state.overlays.length > 0) {
		return [];
	}

	if (state.focus === 'panel') {
		return ['panel'];
	}

	if (state.focus === 'log') {
		return ['log'];
	}

	if (state.focus === 'sidebar') {
		return ['sidebar'];
	}

	const tab = state.tabs.find(item => item.id === state.activeTab);
	if (tab) {
		const byTab: Record<typeof tab.kind, Scope[]> = {browse: ['list', 'browse'], diff: ['list', 'diff'], drive: ['drives'], report: ['report'], scratch: ['list', 'scratch']};
		return byTab[tab.kind];
	}

	const byView: Partial<Record<ViewId, Scope[]>> = {
		drives: ['list', 'drives'],
		backup: ['backup', 'panel'],
		generations: ['list', 'generations'],
		restore: ['restore', 'panel'],
		verify: ['verify', 'panel'],
		settings: ['settings', 'list'],
		compliance: ['list', 'compliance'],
		drills: ['list', 'drills'],
	};
	return byView[state.view] ?? [];
}

/** The view where a job of this kind is watched. */
function viewOfJob(kind: Job['kind']): ViewId {
	switch (kind) {
		case 'backup':
		case 'verify':
		case 'restore': {
			return kind;
		}

		case 'drill': {
			return 'drills';
		}

		case 'eject':
		case 'insert':
		case 'init': {
			return 'drives';
		}

		default: {
			return 'generations';
		}
	}
}

export function Shell({reserveRows = 1}: {reserveRows?: number}) {
	const {columns, rows} = useTerminalSize();
	const {state, dispatch} = useUi();
	const intents = useIntents();
	const session = useSession();
	const {t} = useI18n();
	const jobs = useJobs();
	const {stdout} = useStdout();
	const [jobCursor, setJobCursor] = useSyncedState(0);
	const commands = useActiveCommands();
	// Each overlay its own dialog: a prompt that follows another starts empty, not with its text.
	const overlayKeys = useRef(new WeakMap<Overlay, number>());
	const overlayCount = useRef(0);
	const overlayKey = (item: Overlay): number => {
		let key = overlayKeys.current.get(item);
		if (key === undefined) {
			key = ++overlayCount.current;
			overlayKeys.current.set(item, key);
		}

		return key;
	};

	const overlay = state.overlays.at(-1);
	const small = columns < minColumns || rows < minRows;

	// The passphrase prompt lives in the UI: the session asks, a masked modal answers.
	useEffect(() => {
		session.asker = async request => new Promise(resolve => {
			dispatch({type: 'push', overlay: {
				kind: 'prompt',
				title: t('passphrase.title', {label: request.label}),
				body: [request.retry ? t('passphrase.wrong') : t('passphrase.body')],
				mask: true,
				// One answer for every medium of the site: a plan run over three cartridges asks once.
				toggle: {label: t('passphrase.forSite'), initial: true},
				onSubmit(passphrase, forSite) {
					resolve({passphrase, forSite});
				},
				onCancel() {
					resolve(undefined);
				},
			}});
		});
		return () => {
			session.asker = undefined;
		};
	}, [session, dispatch, t]);

	useKeyLayer(priority.global, event => {
		if (event.name === 'ctrl+c') {
			intents.quit();
			return true;
		}

		if (small) {
			if (event.name === 'q' || event.name === 'escape') {
				intents.quit();
			}

			return true;
		}

		if (is('app.palette', event)) {
			// Read before the palette covers the view: its entries and actions are the palette's context.
			const context = contextCommands(scopesFor({...state, overlays: []}), state.focus, commands.active(), commands.replay);
			dispatch({type: 'push', overlay: {kind: 'palette', context}});
		} else if (is('app.help', event)) {
			dispatch({type: 'push', overlay: {kind: 'help', scopes: scopesFor({...state, overlays: []})}});
		} else if (is('app.refresh', event)) {
			intents.refresh();
		} else if (is('app.redraw', event)) {
			// ScreenWriter repaints every line; another stdout (a test's) has nothing stale to repaint.
			(stdout as {redraw?: () => void}).redraw?.();
		} else if (is('focus.next', event)) {
			dispatch({type: 'cycleFocus', step: 1});
		} else if (is('focus.prev', event)) {
			dispatch({type: 'cycleFocus', step: -1});
		} else if (is('tab.next', event)) {
			dispatch({type: 'cycleTab', step: 1});
		} else if (is('tab.prev', event)) {
			dispatch({type: 'cycleTab', step: -1});
		} else if (is('tab.close', event)) {
			dispatch({type: 'closeTab'});
		} else if (is('app.back', event)) {
			if (state.activeTab !== 'view') {
				dispatch({type: 'closeTab'});
			} else if (state.focus === 'editor') {
				dispatch({type: 'push', overlay: {kind: 'quit'}});
			} else {
				dispatch({type: 'focus', focus: 'editor'});
			}
		} else {
			const view = viewKeys.find(([id]) => is(id, event))?.[1];
			if (!view) {
				return false;
			}

			intents.go(view);
		}

		return true;
	}, !overlay);

	useKeyLayer(priority.panel, event => {
		const index = views.indexOf(state.view);
		if (is('sidebar.up', event)) {
			dispatch({type: 'view', view: views[(index + views.length - 1) % views.length], keepFocus: true});
		} else if (is('sidebar.down', event)) {
			dispatch({type: 'view', view: views[(index + 1) % views.length], keepFocus: true});
		} else if (is('sidebar.open', event)) {
			dispatch({type: 'focus', focus: 'editor'});
		} else {
			return false;
		}

		return true;
	}, !overlay && state.focus === 'sidebar');

	const newestFirst = [...jobs].reverse();
	useKeyLayer(priority.panel, event => {
		const selected = newestFirst[Math.min(jobCursor, newestFirst.length - 1)];
		if (is('job.up', event)) {
			setJobCursor(Math.max(0, jobCursor - 1));
		} else if (is('job.down', event)) {
			setJobCursor(Math.min(newestFirst.length - 1, jobCursor + 1));
		} else if (is('job.cancel', event) && selected && (selected.state === 'running' || selected.state === 'queued')) {
			dispatch({type: 'push', overlay: {kind: 'confirm', title: t('cancel.title'), body: [t('cancel.body')], onConfirm() {
				intents.cancelJob(selected.id);
			}}});
		} else if (is('job.open', event) && selected) {
			intents.go(viewOfJob(selected.kind));
		} else {
			return false;
		}

		return true;
	}, !overlay && state.focus === 'panel');

	if (small) {
		return <TooSmall columns={columns} rows={rows}/>;
	}

	const layout = layoutFor(columns, rows, reserveRows, state.focus === 'log');
	const editorFocused = state.focus === 'editor' && !overlay;
	return (
		<Box flexDirection='column' width={columns} height={rows - reserveRows}>
			<Box flexDirection='row' width={columns} height={layout.top}>
				<Sidebar active={state.view} focused={state.focus === 'sidebar' && !overlay} width={layout.sidebar} height={layout.top}/>
				<Box flexDirection='column' width={layout.editor} height={layout.top}>
					<TabBar state={state} width={layout.editor}/>
					<Box display={overlay ? 'none' : 'flex'} flexDirection='column' width={layout.editor} height={layout.top - 1}>
						<Editor state={state} width={layout.editor} height={layout.top - 1} focused={editorFocused}/>
					</Box>
					{overlay ? <OverlayView key={overlayKey(overlay)} overlay={overlay} width={layout.editor} height={layout.top - 1}/> : null}
				</Box>
			</Box>
			<BottomPanel width={columns} height={layout.panel} focused={state.focus === 'panel' && !overlay} logFocused={state.focus === 'log'} logActive={!overlay} cursor={Math.min(jobCursor, Math.max(0, jobs.length - 1))}/>
			<StatusBar width={columns}/>
			<HintBar width={columns} scopes={scopesFor(state)}/>
		</Box>
	);
}
