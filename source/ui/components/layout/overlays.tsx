import {useI18n} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {useIntents} from '../../intents.js';
import {useSnapshot} from '../../hooks/use-live.js';
import {useSession, useUi} from '../../state/ui-context.js';
import type {Overlay} from '../../state/ui-state.js';
import {buildCommands} from '../../commands/registry.js';
import {Palette} from '../palette/palette.js';
import {HelpOverlay} from '../dialogs/help-overlay.js';
import {ConfirmDialog, MessageDialog, PromptDialog} from '../dialogs/dialogs.js';

// Each overlay its own dialog: one pushed as another closes (operator, then witness) must not
// inherit the text typed into the one before.
const dialogIds = new WeakMap<Overlay, number>();
let lastDialogId = 0;
function dialogKey(overlay: Overlay): string {
	if (!dialogIds.has(overlay)) {
		dialogIds.set(overlay, ++lastDialogId);
	}

	return String(dialogIds.get(overlay));
}

/** The top overlay, drawn in the editor area while the rest of the shell stays visible. */
export function OverlayView({overlay, width, height}: {overlay: Overlay; width: number; height: number}) {
	const {t} = useI18n();
	const {capabilities} = useTheme();
	const {dispatch} = useUi();
	const intents = useIntents();
	const session = useSession();
	const snapshot = useSnapshot();
	const pop = () => {
		dispatch({type: 'pop'});
	};

	switch (overlay.kind) {
		case 'palette': {
			const commands = buildCommands({snapshot, intents, t, unicode: capabilities.unicode, context: overlay.context ?? []});
			return <Palette commands={commands} width={width} height={height} onClose={pop}/>;
		}

		case 'help': {
			return <HelpOverlay scopes={overlay.scopes ?? []} width={width} height={height} onClose={pop}/>;
		}

		case 'quit': {
			const running = session.queue.active().length;
			return <ConfirmDialog title={t('quit.title')} body={running > 0 ? [t('quit.running', {count: running})] : [t('quit.body')]} width={width} height={height} onClose={pop} onConfirm={() => {
				intents.quit(true);
			}}/>;
		}

		case 'confirm': {
			return <ConfirmDialog key={dialogKey(overlay)} title={overlay.title} body={overlay.body} {...(overlay.expect ? {expect: overlay.expect} : {})} width={width} height={height} onClose={pop} onConfirm={overlay.onConfirm}/>;
		}

		case 'prompt': {
			return (
				<PromptDialog
					key={dialogKey(overlay)}
					title={overlay.title}
					{...(overlay.body ? {body: overlay.body} : {})}
					mask={overlay.mask ?? false}
					initial={overlay.initial ?? ''}
					{...(overlay.toggle ? {toggle: overlay.toggle} : {})}
					width={width}
					height={height}
					onSubmit={(value, toggled) => {
						pop();
						overlay.onSubmit(value, toggled);
					}}
					onCancel={() => {
						pop();
						overlay.onCancel?.();
					}}
				/>
			);
		}

		case 'message': {
			return <MessageDialog title={overlay.title} body={overlay.body} level={overlay.level} width={width} height={height} onClose={pop}/>;
		}
	}
}
