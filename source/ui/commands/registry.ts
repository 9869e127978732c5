import type {Dispatch} from 'react';
import type {Snapshot} from '../../app/session.js';
import type {Translate} from '../i18n/i18n.js';
import type {Intents} from '../intents.js';
import {keyLabel, keymap, type CommandId} from '../keymap/keymap.js';
import type {GenerationRef, UiAction} from '../state/ui-state.js';
import type {TimelineRow} from '../../app/timeline.js';

/**
 * Every action for the command palette: the keymap's global commands, then one entry per thing
 * that can be done to each connected medium right now (back up, verify, restore, eject, browse).
 */
export type PaletteCommand = {id: string; title: string; keys?: string; run: () => void};

type Context = {snapshot: Snapshot; intents: Intents; dispatch: Dispatch<UiAction>; t: Translate; unicode: boolean; extra?: PaletteCommand[]};

export function refOf(row: TimelineRow): GenerationRef {
	return {repositoryId: row.repositoryId, generationId: row.generation.id, label: row.label, seq: row.generation.seq};
}

export function buildCommands({snapshot, intents, dispatch, t, unicode, extra = []}: Context): PaletteCommand[] {
	const keys = (id: CommandId) => keymap.find(binding => binding.id === id)?.keys.map(key => keyLabel(key, unicode)).join(' ');
	const fromKeymap = (id: CommandId, run: () => void): PaletteCommand => ({id, title: t(keymap.find(binding => binding.id === id)!.label), keys: keys(id), run});
	const commands: PaletteCommand[] = [
		fromKeymap('view.drives', () => {
			intents.go('drives');
		}),
		fromKeymap('view.backup', () => {
			intents.go('backup');
		}),
		fromKeymap('view.generations', () => {
			intents.go('generations');
		}),
		fromKeymap('view.restore', () => {
			intents.go('restore');
		}),
		fromKeymap('view.verify', () => {
			intents.go('verify');
		}),
		fromKeymap('view.compliance', () => {
			intents.go('compliance');
		}),
		fromKeymap('view.drills', () => {
			intents.go('drills');
		}),
		fromKeymap('view.settings', () => {
			intents.go('settings');
		}),
	];
	for (const command of commands) {
		command.title = t('palette.goTo', {view: command.title});
	}

	const online = snapshot.targets.filter(target => target.online && target.repositoryId);
	const {sources} = snapshot.settings;
	if (online.length > 0 && sources.length > 0) {
		commands.push({id: 'backup.all', title: t('palette.backupAll', {targets: online.map(target => target.label).join(', ')}), run() {
			intents.backup(online.map(target => target.name), sources);
		}});
	}

	for (const target of online) {
		const newest = snapshot.timeline.filter(row => row.repositoryId === target.repositoryId);
		commands.push(
			{id: `backup.${target.name}`, title: t('palette.backupTo', {label: target.label}), run() {
				intents.backup([target.name], sources);
			}},
			{id: `verify.s.${target.name}`, title: t('palette.verify', {label: target.label, level: t('verify.structure')}), run() {
				intents.verify(target.name, 'structure');
			}},
			{id: `verify.f.${target.name}`, title: t('palette.verify', {label: target.label, level: t('verify.full')}), run() {
				intents.verify(target.name, 'full');
			}},
		);
		if (newest[0]) {
			commands.push(
				{id: `restore.${target.name}`, title: t('palette.restoreNewest', {label: target.label, seq: newest[0].generation.seq}), run() {
					intents.restore(refOf(newest[0]));
				}},
				{id: `browse.${target.name}`, title: t('palette.browseNewest', {label: target.label, seq: newest[0].generation.seq}), run() {
					intents.browse(refOf(newest[0]));
				}},
			);
		}

		if (newest[1]) {
			commands.push({id: `diff.${target.name}`, title: t('palette.diffNewest', {label: target.label, before: newest[1].generation.seq, after: newest[0].generation.seq}), run() {
				intents.diff(refOf(newest[1]), refOf(newest[0]));
			}});
		}

		if (target.kind === 'cartridge') {
			commands.push({id: `eject.${target.name}`, title: t('palette.eject', {label: target.label}), run() {
				intents.eject(target.name);
			}});
		}
	}

	commands.push(
		...extra,
		fromKeymap('app.refresh', () => {
			intents.refresh();
		}),
		fromKeymap('app.help', () => {
			dispatch({type: 'push', overlay: {kind: 'help'}});
		}),
		fromKeymap('focus.next', () => {
			dispatch({type: 'cycleFocus', step: 1});
		}),
		fromKeymap('tab.next', () => {
			dispatch({type: 'cycleTab', step: 1});
		}),
		fromKeymap('tab.close', () => {
			dispatch({type: 'closeTab'});
		}),
		fromKeymap('app.quit', () => {
			dispatch({type: 'push', overlay: {kind: 'quit'}});
		}),
	);
	return commands;
}
