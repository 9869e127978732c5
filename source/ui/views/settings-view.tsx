import path from 'node:path';
import {Box} from 'ink';
import type {Language, SiteSettings, Target} from '../../settings/schema.js';
import {useI18n} from '../i18n/i18n.js';
import {useTheme} from '../theme/theme.js';
import {useSnapshot} from '../hooks/use-live.js';
import {useList} from '../hooks/use-list.js';
import {is, priority, useKeyLayer} from '../keymap/dispatcher.js';
import {useIntents} from '../intents.js';
import {useSession, useUi} from '../state/ui-context.js';
import {ListView} from '../components/lists/list-view.js';
import {Row, column, type Segment} from '../components/row.js';
import type {ViewProps} from './drives-view.js';

/**
 * The site profile (conf-backed): site name, sources, targets, language, scratch folder and how
 * the passphrase is found. The passphrase itself is never stored: asked once per session, or
 * read from a root-only file the technician names here.
 */
type Item
	= | {kind: 'site'} | {kind: 'language'} | {kind: 'scratch'} | {kind: 'passphrase'} | {kind: 'forget'}
		| {kind: 'source'; path: string} | {kind: 'addSource'}
		| {kind: 'target'; target: Target} | {kind: 'addTarget'};

const languages: Language[] = ['auto', 'en', 'ja'];

export function parseTarget(text: string): Target | undefined {
	const value = text.trim();
	if (!value) {
		return undefined;
	}

	if (value.startsWith('/')) {
		return {name: path.basename(value) || value, kind: 'folder', path: value};
	}

	return {name: value, kind: 'cartridge', label: value};
}

export function SettingsView({width, height, focused}: ViewProps) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const snapshot = useSnapshot();
	const session = useSession();
	const intents = useIntents();
	const {dispatch} = useUi();
	const {settings} = snapshot;
	const items: Item[] = [
		{kind: 'site'},
		{kind: 'language'},
		...settings.sources.map(source => ({kind: 'source' as const, path: source})),
		{kind: 'addSource'},
		...settings.targets.map(target => ({kind: 'target' as const, target})),
		{kind: 'addTarget'},
		{kind: 'scratch'},
		{kind: 'passphrase'},
		{kind: 'forget'},
	];
	const list = useList('settings', items, height - 2, item => [item.kind, 'path' in item ? item.path : undefined, 'target' in item ? item.target.name : undefined]);
	const current = list.items[list.cursor];
	// Paths are saved as typed: a relative one is refused with a sentence, never resolved against
	// whatever folder the console happened to be started from.
	const save = (partial: Partial<SiteSettings>) => {
		try {
			session.updateSettings(partial);
		} catch (error) {
			intents.showError(error);
		}
	};

	const prompt = (title: string, initial: string, onSubmit: (value: string) => void, body?: string[]) => {
		dispatch({type: 'push', overlay: {kind: 'prompt', title, initial, onSubmit, ...(body ? {body} : {})}});
	};

	const addSource = () => {
		prompt(t('settings.addSource'), '', value => {
			const source = value.trim();
			if (source) {
				save({sources: [...settings.sources.filter(item => item !== source), source]});
			}
		}, [t('settings.sourceHelp')]);
	};

	const addTarget = () => {
		prompt(t('settings.addTarget'), '', value => {
			const target = parseTarget(value);
			if (target) {
				save({targets: [...settings.targets.filter(item => item.name !== target.name), target]});
			}
		}, [t('settings.targetHelp')]);
	};

	const edit = (item: Item) => {
		switch (item.kind) {
			case 'site': {
				prompt(t('settings.site'), settings.site, value => {
					save({site: value.trim() || settings.site});
				});
				break;
			}

			case 'language': {
				save({language: languages[(languages.indexOf(settings.language) + 1) % languages.length]});
				break;
			}

			case 'scratch': {
				prompt(t('settings.scratch'), settings.scratch, value => {
					if (value.trim()) {
						save({scratch: value.trim()});
					}
				}, [t('settings.scratchHelp')]);
				break;
			}

			case 'passphrase': {
				prompt(t('settings.passphraseFile'), settings.passphraseFile ?? '', value => {
					const file = value.trim();
					if (file) {
						save({passphraseFile: file});
					} else {
						try {
							session.settingsStore.unset('passphraseFile');
							session.updateSettings({});
						} catch (error) {
							intents.showError(error);
						}
					}
				}, [t('settings.passphraseHelp')]);
				break;
			}

			case 'forget': {
				// Forget every passphrase and close the open repositories (their keys go with them).
				session.passphrases.forget();
				session.media.close();
				session.log.add('ok', {key: 'log.forgotten'});
				break;
			}

			case 'source':
			case 'addSource': {
				addSource();
				break;
			}

			case 'target':
			case 'addTarget': {
				addTarget();
				break;
			}
		}
	};

	const remove = (item: Item) => {
		if (item.kind === 'source') {
			dispatch({type: 'push', overlay: {kind: 'confirm', title: t('settings.removeSource'), body: [item.path], onConfirm() {
				save({sources: settings.sources.filter(source => source !== item.path)});
			}}});
		} else if (item.kind === 'target') {
			dispatch({type: 'push', overlay: {kind: 'confirm', title: t('settings.removeTarget', {name: item.target.name}), body: [t('settings.removeTargetBody')], expect: item.target.name, onConfirm() {
				save({targets: settings.targets.filter(target => target.name !== item.target.name)});
			}}});
		}
	};

	useKeyLayer(priority.panel, event => {
		if (list.handle(event)) {
			return true;
		}

		if (!current) {
			return false;
		}

		if (is('settings.edit', event) || (event.name === 'space' && current.kind === 'language')) {
			edit(current);
			return true;
		}

		if (is('settings.add', event)) {
			if (current.kind === 'target' || current.kind === 'addTarget') {
				addTarget();
			} else {
				addSource();
			}

			return true;
		}

		if (is('settings.remove', event)) {
			remove(current);
			return true;
		}

		return false;
	}, focused);

	const label = (text: string): Segment => ({text: column(text, 16), color: 'muted'});
	const render = (item: Item): Segment[] => {
		switch (item.kind) {
			case 'site': {
				return [label(t('settings.site')), {text: settings.site, bold: true}];
			}

			case 'language': {
				return [label(t('settings.language')), ...languages.map(value => ({text: `${value === settings.language ? symbols.radioOn : symbols.radioOff} ${t(`language.${value}`)}  `, bold: value === settings.language}))];
			}

			case 'source': {
				return [label(t('settings.source')), {text: item.path}];
			}

			case 'addSource': {
				return [label(''), {text: `+ ${t('settings.addSource')}`, color: 'accent'}];
			}

			case 'target': {
				const where = item.target.kind === 'folder' ? item.target.path ?? '' : t('settings.cartridgeLabel', {label: item.target.label ?? item.target.name});
				return [label(t('settings.target')), {text: column(item.target.name, 10), bold: true}, {text: column(t(`settings.kind.${item.target.kind}`), 12)}, {text: where, color: 'muted'}];
			}

			case 'addTarget': {
				return [label(''), {text: `+ ${t('settings.addTarget')}`, color: 'accent'}];
			}

			case 'scratch': {
				return [label(t('settings.scratch')), {text: settings.scratch}];
			}

			case 'passphrase': {
				const mode = settings.passphraseFile ? t('settings.passphraseFromFile', {file: settings.passphraseFile}) : (process.env['SEDAI_PASSPHRASE'] ? t('settings.passphraseFromEnv') : t('settings.passphraseAsk'));
				return [label(t('settings.passphrase')), {text: mode}];
			}

			case 'forget': {
				return [label(''), {text: t('settings.forget', {count: session.passphrases.rememberedCount})}];
			}
		}
	};

	return (
		<Box flexDirection='column' width={width} height={height}>
			<Row width={width} segments={[{text: ` ${t('settings.file', {file: session.settingsStore.path})}`, color: 'muted'}]}/>
			<ListView items={list.items} cursor={list.cursor} width={width} height={height - 2} render={render} filter={list.filter} filtering={list.filtering} focused={focused} empty=''/>
			<Row width={width} segments={[{text: ` ${t('settings.never')}`, color: 'muted'}]}/>
		</Box>
	);
}
