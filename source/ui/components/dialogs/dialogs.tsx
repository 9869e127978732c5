import {useRef} from 'react';
import {useSyncedState} from '../../state/use-synced-reducer.js';
import {useI18n} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {priority, useKeyLayer} from '../../keymap/dispatcher.js';
import {Row} from '../row.js';
import {wrapText} from '../../../text/wrap.js';
import {Frame} from './frame.js';
import {textEdit, shownValue} from './text-field.js';

/**
 * Modal dialogs: confirm (y/n, or typing the cartridge label for destructive actions), a text
 * prompt (masked for passphrases), a message. Each owns the keyboard while it is on top.
 */
type Box = {width: number; height: number};

export function ConfirmDialog({title, body, expect, onConfirm, onClose, width, height}: Box & {title: string; body: string[]; expect?: string; onConfirm: () => void; onClose: () => void}) {
	const {t} = useI18n();
	const [typed, setTyped] = useSyncedState('');
	// The ref is the truth (keys can outrun renders); state only triggers the redraw.
	const typedRef = useRef('');
	const [wrong, setWrong] = useSyncedState(false);
	useKeyLayer(priority.modal, event => {
		if (event.name === 'escape' || (!expect && (event.input === 'n' || event.input === 'q'))) {
			onClose();
			return true;
		}

		if (expect) {
			if (event.name === 'return') {
				if (typedRef.current === expect) {
					onClose();
					onConfirm();
				} else {
					setWrong(true);
				}

				return true;
			}

			const edit = textEdit(event);
			if (edit) {
				typedRef.current = edit(typedRef.current);
				setTyped(typedRef.current);
				setWrong(false);
			}

			return true;
		}

		if (event.input === 'y' || event.name === 'return') {
			onClose();
			onConfirm();
		}

		return true;
	});
	// The question and the typed label always show: a body too long for the screen is cut first.
	const wrapped = body.flatMap(text => wrapText(text, width - 2));
	const room = Math.max(1, height - 4);
	const shown = wrapped.length > room ? [...wrapped.slice(0, room - 1), '…'] : wrapped;
	const lines = [
		...shown.map((text, index) => <Row key={`b${index}`} width={width} segments={[{text: ` ${text}`}]}/>),
		<Row key='gap' width={width} segments={[]}/>,
		expect
			? <Row key='ask' width={width} segments={[{text: ` ${t('dialog.typeToConfirm', {label: expect})} `}, {text: shownValue(typed, false, '_'), bold: true, color: 'accent'}]}/>
			: <Row key='ask' width={width} segments={[{text: ` ${t('dialog.yesNo')}`, bold: true}]}/>,
		wrong ? <Row key='wrong' width={width} segments={[{text: ` ${t('dialog.mismatch', {label: expect ?? ''})}`, color: 'bad'}]}/> : null,
	].filter(Boolean);
	return <Frame title={title} width={width} height={height} used={lines.length}>{lines}</Frame>;
}

/** A line of input; `toggle` adds a yes/no choice flipped with Tab (e.g. "use for every medium"). */
export function PromptDialog({title, body = [], mask = false, initial = '', toggle, onSubmit, onCancel, width, height}: Box & {title: string; body?: string[]; mask?: boolean; initial?: string; toggle?: {label: string; initial: boolean}; onSubmit: (value: string, toggled: boolean) => void; onCancel: () => void}) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const [value, setValue] = useSyncedState(initial);
	const valueRef = useRef(initial);
	const [toggled, setToggled] = useSyncedState(toggle?.initial ?? false);
	const toggledRef = useRef(toggle?.initial ?? false);
	useKeyLayer(priority.modal, event => {
		if (event.name === 'escape') {
			onCancel();
			return true;
		}

		if (event.name === 'return') {
			onSubmit(valueRef.current, toggledRef.current);
			return true;
		}

		if (toggle && event.name === 'tab') {
			toggledRef.current = !toggledRef.current;
			setToggled(toggledRef.current);
			return true;
		}

		const edit = textEdit(event);
		if (edit) {
			valueRef.current = edit(valueRef.current);
			setValue(valueRef.current);
		}

		return true;
	});
	const wrapped = body.flatMap(text => wrapText(text, width - 2));
	const room = Math.max(1, height - 1 - (toggle ? 4 : 3));
	const shown = wrapped.length > room ? [...wrapped.slice(0, room - 1), '…'] : wrapped;
	const lines = [
		...shown.map((text, index) => <Row key={`b${index}`} width={width} segments={[{text: ` ${text}`}]}/>),
		<Row key='input' width={width} segments={[{text: ' > '}, {text: shownValue(value, mask, '_'), bold: true, color: 'accent'}]}/>,
		toggle ? <Row key='toggle' width={width} segments={[{text: ` ${toggled ? symbols.ok : '·'} `, color: toggled ? 'ok' : 'muted'}, {text: toggle.label}, {text: `  (${t('dialog.toggleKey')})`, color: 'muted'}]}/> : null,
		<Row key='gap' width={width} segments={[]}/>,
		<Row key='keys' width={width} segments={[{text: ` ${t('dialog.promptKeys')}`, color: 'muted'}]}/>,
	].filter(Boolean);
	return <Frame title={title} width={width} height={height} used={lines.length}>{lines}</Frame>;
}

export function MessageDialog({title, body, level, onClose, width, height}: Box & {title: string; body: string[]; level: 'info' | 'error'; onClose: () => void}) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	useKeyLayer(priority.modal, event => {
		if (event.name === 'escape' || event.name === 'return' || event.input === 'q') {
			onClose();
		}

		return true;
	});
	const lines = [
		...body.flatMap(text => wrapText(text, width - 4)).map((text, index) => <Row key={`b${index}`} width={width} segments={[{text: index === 0 && level === 'error' ? ` ${symbols.bad} ` : '   ', color: 'bad'}, {text, ...(level === 'error' ? {color: 'bad' as const} : {})}]}/>),
		<Row key='gap' width={width} segments={[]}/>,
		<Row key='keys' width={width} segments={[{text: ` ${t('dialog.dismiss')}`, color: 'muted'}]}/>,
	];
	return <Frame title={title} width={width} height={height} used={lines.length}>{lines}</Frame>;
}
