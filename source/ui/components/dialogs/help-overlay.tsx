import {useSyncedState} from '../../state/use-synced-reducer.js';
import {useI18n} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {priority, useKeyLayer} from '../../keymap/dispatcher.js';
import {keyLabel, keymap, type Scope} from '../../keymap/keymap.js';
import {padEnd} from '../../../text/format.js';
import {Row, type Segment} from '../row.js';
import {Frame} from './frame.js';

/** `?` — every key, grouped by where it applies, straight from the keymap table. */
const order: Scope[] = ['global', 'list', 'panel', 'drives', 'backup', 'generations', 'browse', 'verify', 'restore', 'settings'];

export function HelpOverlay({onClose, width, height}: {onClose: () => void; width: number; height: number}) {
	const {t} = useI18n();
	const {capabilities} = useTheme();
	const [offset, setOffset] = useSyncedState(0);
	const lines: Segment[][] = [];
	for (const scope of order) {
		const bindings = keymap.filter(binding => binding.scope === scope);
		if (bindings.length === 0) {
			continue;
		}

		lines.push([{text: ` ${t(`scope.${scope}`)}`, bold: true, color: 'accent'}]);
		for (const binding of bindings) {
			lines.push([{text: `   ${padEnd(binding.keys.map(key => keyLabel(key, capabilities.unicode)).join(' '), 16)}`, bold: true}, {text: t(binding.label)}]);
		}
	}

	const rows = Math.max(1, height - 2);
	const maxOffset = Math.max(0, lines.length - rows);
	useKeyLayer(priority.modal, event => {
		switch (event.name) {
			case 'escape':
			case 'q':
			case '?': {
				onClose();

				break;
			}

			case 'down':
			case 'j': {
				setOffset(Math.min(maxOffset, offset + 1));

				break;
			}

			case 'up':
			case 'k': {
				setOffset(Math.max(0, offset - 1));

				break;
			}

			case 'pagedown':
			case 'space': {
				setOffset(Math.min(maxOffset, offset + rows - 1));

				break;
			}

			case 'pageup': {
				setOffset(Math.max(0, offset - rows + 1));

				break;
			}
		// No default
		}

		return true;
	});
	const visible = lines.slice(offset, offset + rows);
	const more = offset < maxOffset ? t('help.more') : '';
	return (
		<Frame title={t('help.title')} width={width} height={height} used={visible.length + 1}>
			{visible.map((segments, index) => <Row key={offset + index} width={width} segments={segments}/>)}
			<Row width={width} segments={[{text: ` ${more}`, color: 'muted'}]}/>
		</Frame>
	);
}
