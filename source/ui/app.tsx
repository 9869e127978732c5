import {useEffect, type ReactNode} from 'react';
import type {Session} from '../app/session.js';
import {I18nProvider, chooseLanguage} from './i18n/i18n.js';
import {ThemeProvider, type Theme} from './theme/theme.js';
import {KeyDispatcher, type KeyEvent} from './keymap/dispatcher.js';
import {UiProviders} from './state/ui-context.js';
import {initialUiState, uiReducer, type ViewId} from './state/ui-state.js';
import {useSyncedReducer} from './state/use-synced-reducer.js';
import {LiveProvider, useSnapshot} from './hooks/use-live.js';
import {IntentsProvider} from './intents.js';
import {Shell} from './components/layout/shell.js';

/** Providers and the shell; nothing else. */
export type AppProps = {
	session: Session;
	theme: Theme;
	initialView?: ViewId;
	liveIntervalMs?: number;
	/**
	 * Rows left free at the bottom. Ink clears the whole terminal each frame once its output
	 * reaches the terminal's height, so it is 1 (the default) unless ScreenWriter draws.
	 */
	reserveRows?: number;
	/** Every key as the dispatcher hands it to the layers, in order (for tests and key latency). */
	onKey?: (event: KeyEvent) => void;
	/** Every key typed so far has been applied and committed (run-tui draws the frame at once). */
	onKeysSettled?: () => void;
};

function Language({unicode, children}: {unicode: boolean; children: ReactNode}) {
	const snapshot = useSnapshot();
	// Japanese needs a UTF-8 terminal; without one, English reads better than question marks.
	const language = unicode ? chooseLanguage(snapshot.settings.language) : 'en';
	return <I18nProvider language={language}>{children}</I18nProvider>;
}

export function App({session, theme, initialView = 'drives', liveIntervalMs, reserveRows = 1, onKey, onKeysSettled}: AppProps) {
	const ui = useSyncedReducer(uiReducer, () => initialUiState(initialView));
	useEffect(() => {
		void session.refresh();
	}, [session]);
	return (
		<ThemeProvider theme={theme}>
			<UiProviders session={session} ui={ui}>
				<LiveProvider {...(liveIntervalMs === undefined ? {} : {intervalMs: liveIntervalMs})}>
					<Language unicode={theme.capabilities.unicode}>
						<KeyDispatcher {...(onKey ? {onKey} : {})} {...(onKeysSettled ? {onSettled: onKeysSettled} : {})}>
							<IntentsProvider>
								<Shell reserveRows={reserveRows}/>
							</IntentsProvider>
						</KeyDispatcher>
					</Language>
				</LiveProvider>
			</UiProviders>
		</ThemeProvider>
	);
}
