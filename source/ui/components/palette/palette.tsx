import {useMemo, useRef} from 'react';
import fuzzysort from 'fuzzysort';
import {useSyncedState} from '../../state/use-synced-reducer.js';
import {useI18n} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {priority, useKeyLayer} from '../../keymap/dispatcher.js';
import type {PaletteCommand} from '../../commands/registry.js';
import {keyLabel, keymap} from '../../keymap/keymap.js';
import {Row} from '../row.js';
import {Frame} from '../dialogs/frame.js';
import {textEdit, shownValue} from '../dialogs/text-field.js';

/** Ctrl+P / `:` — type a few letters of any action, ↑↓ to pick, Enter to run, Esc to close. */
export function filterCommands(commands: PaletteCommand[], query: string): PaletteCommand[] {
	if (!query.trim()) {
		return commands;
	}

	return fuzzysort.go(query, commands, {keys: ['title', 'id'], threshold: 0.2}).map(result => result.obj);
}

export function Palette({commands, onClose, width, height}: {commands: PaletteCommand[]; onClose: () => void; width: number; height: number}) {
	const {t} = useI18n();
	const {symbols, capabilities} = useTheme();
	const [query, setQuery] = useSyncedState('');
	const [cursor, setCursor] = useSyncedState(0);
	// Refs hold the truth between renders: typed keys can arrive before the next frame.
	const live = useRef({query: '', cursor: 0});
	const matches = useMemo(() => filterCommands(commands, query), [commands, query]);
	const selected = Math.min(cursor, Math.max(0, matches.length - 1));
	useKeyLayer(priority.palette, event => {
		switch (event.name) {
			case 'escape':
			case 'ctrl+p': {
				onClose();

				break;
			}

			case 'return': {
				const current = filterCommands(commands, live.current.query);
				const command = current[Math.min(live.current.cursor, current.length - 1)];
				onClose();
				command?.run?.();

				break;
			}

			case 'up':
			case 'ctrl+k': {
				live.current.cursor = Math.max(0, live.current.cursor - 1);
				setCursor(live.current.cursor);

				break;
			}

			case 'down':
			case 'ctrl+j':
			case 'tab': {
				live.current.cursor = Math.min(filterCommands(commands, live.current.query).length - 1, live.current.cursor + 1);
				setCursor(live.current.cursor);

				break;
			}

			default: {
				const edit = textEdit(event);
				if (edit) {
					live.current = {query: edit(live.current.query), cursor: 0};
					setQuery(live.current.query);
					setCursor(0);
				}
			}
		}

		return true;
	});
	const rows = Math.max(1, height - 4);
	const start = Math.max(0, selected - rows + 1);
	const visible = matches.slice(start, start + rows);
	const lines = [
		<Row key='input' width={width} segments={[{text: ' : ', bold: true, color: 'accent'}, {text: shownValue(query, false, '_'), bold: true}, {text: `   ${t('palette.count', {count: matches.length})}`, color: 'muted'}]}/>,
		...(visible.length === 0 ? [<Row key='none' width={width} segments={[{text: `   ${t('palette.none')}`, color: 'muted'}]}/>] : []),
		...visible.map((command, index) => {
			const isSelected = start + index === selected;
			return <Row key={command.id} width={width} inverse={isSelected} segments={[{text: isSelected ? ` ${symbols.pointer} ` : '   '}, {text: command.title, ...(command.run ? {} : {color: 'muted' as const})}, {text: command.keys ? `  ${command.keys}` : '', color: 'muted'}, {text: command.run ? '' : `  ${t('palette.notNow')}`, color: 'muted'}]}/>;
		}),
	];
	// Its own keys, from the keymap like every other list of keys.
	const footer = keymap.filter(binding => binding.scope === 'palette').flatMap(binding => [{text: ` ${binding.keys.map(key => keyLabel(key, capabilities.unicode)).join(' ')}`, bold: true}, {text: ` ${t(binding.label)} `, color: 'muted' as const}]);
	lines.push(<Row key='keys' width={width} segments={footer}/>);
	return <Frame title={t('palette.title')} width={width} height={height} used={lines.length}>{lines}</Frame>;
}
