import {useRef} from 'react';
import {useSyncedState} from '../../state/use-synced-reducer.js';
import {useI18n, type Translate} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {is, priority, useKeyLayer} from '../../keymap/dispatcher.js';
import {keyLabel, keymap, type Binding, type Scope} from '../../keymap/keymap.js';
import {padEnd} from '../../../text/format.js';
import {Row, type Segment} from '../row.js';
import {Frame} from './frame.js';
import {textEdit, shownValue} from './text-field.js';

/**
 * `?` — every key, grouped by where it applies, straight from the keymap table: the scopes of
 * where it was opened first (marked "here"), then all the others. Typing filters by key, action
 * or place; Esc clears the filter, then closes.
 */
const order: Scope[] = ['global', 'sidebar', 'list', 'panel', 'log', 'drives', 'backup', 'generations', 'browse', 'diff', 'restore', 'verify', 'compliance', 'drills', 'scratch', 'report', 'settings', 'palette', 'help'];

/** The scopes in help order: where it was opened (the view's own first), then the rest. */
export function helpOrder(here: Scope[]): Scope[] {
	const general = new Set<Scope>(['list', 'panel']);
	const specific = here.filter(scope => !general.has(scope));
	const first = [...specific, ...here.filter(scope => !specific.includes(scope))];
	return [...first, ...order.filter(scope => !first.includes(scope))];
}

export function helpLines(here: Scope[], filter: string, t: Translate, unicode: boolean): Segment[][] {
	const needle = filter.trim().toLowerCase();
	const keysOf = (binding: Binding) => binding.keys.map(key => keyLabel(key, unicode)).join(' ');
	const matches = (binding: Binding) => !needle || [keysOf(binding), t(binding.label), t(`scope.${binding.scope}`)].some(text => text.toLowerCase().includes(needle));
	const lines: Segment[][] = [];
	for (const scope of helpOrder(here)) {
		const bindings = keymap.filter(binding => binding.scope === scope && matches(binding));
		if (bindings.length === 0) {
			continue;
		}

		lines.push([{text: ` ${t(`scope.${scope}`)}`, bold: true, color: 'accent'}, here.includes(scope) ? {text: `  (${t('help.here')})`, color: 'muted'} : {text: ''}]);
		for (const binding of bindings) {
			lines.push([{text: `   ${padEnd(keysOf(binding), 16)}`, bold: true}, {text: t(binding.label)}]);
		}
	}

	return lines;
}

export function HelpOverlay({scopes, onClose, width, height}: {scopes: Scope[]; onClose: () => void; width: number; height: number}) {
	const {t} = useI18n();
	const {capabilities} = useTheme();
	const [offset, setOffset] = useSyncedState(0);
	const [filter, setFilter] = useSyncedState('');
	// The ref is the truth between renders: typed keys can arrive before the next frame.
	const live = useRef({filter: '', offset: 0});
	const lines = helpLines(scopes, filter, t, capabilities.unicode);
	const rows = Math.max(1, height - 3);
	const maxOffset = (text: string) => Math.max(0, helpLines(scopes, text, t, capabilities.unicode).length - rows);
	const scrollTo = (to: number) => {
		live.current.offset = Math.max(0, Math.min(maxOffset(live.current.filter), to));
		setOffset(live.current.offset);
	};

	const type = (text: string) => {
		live.current = {filter: text, offset: 0};
		setFilter(text);
		setOffset(0);
	};

	useKeyLayer(priority.modal, event => {
		const typed = live.current.filter;
		const steps: Record<string, number> = {down: 1, up: -1, pagedown: rows - 1, pageup: 1 - rows};
		if (event.name === 'escape' && typed) {
			type('');
		} else if (is('help.close', event) && (event.name === 'escape' || !typed)) {
			onClose();
		} else if (steps[event.name] === undefined) {
			const edit = textEdit(event);
			if (edit) {
				type(edit(typed));
			}
		} else {
			scrollTo(live.current.offset + steps[event.name]);
		}

		return true;
	});
	const visible = lines.slice(offset, offset + rows);
	const more = offset + rows < lines.length ? t('help.more') : '';
	return (
		<Frame title={t('help.title')} width={width} height={height} used={visible.length + 2}>
			<Row width={width} segments={filter ? [{text: ' / ', bold: true, color: 'accent'}, {text: shownValue(filter, false, '_'), bold: true}] : [{text: ` ${t('help.filter')}`, color: 'muted'}]}/>
			{visible.length === 0 ? <Row width={width} segments={[{text: `   ${t('help.none', {filter})}`, color: 'muted'}]}/> : visible.map((segments, index) => <Row key={offset + index} width={width} segments={segments}/>)}
			<Row width={width} segments={[{text: ` ${more}`, color: 'muted'}]}/>
		</Frame>
	);
}
