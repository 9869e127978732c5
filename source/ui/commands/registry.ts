import type {Snapshot} from '../../app/session.js';
import type {Translate} from '../i18n/i18n.js';
import type {Intents} from '../intents.js';
import {bindingOf, keyLabel, keymap} from '../keymap/keymap.js';
import type {ContextCommand, GenerationRef} from '../state/ui-state.js';
import type {TimelineRow} from '../../app/timeline.js';

/**
 * Every action for the command palette: the keymap's entries where it was opened (each with its
 * key), then one entry per thing that can be done to each connected medium right now (back up,
 * verify, restore, eject, browse), then the keymap's global entries.
 */
export type PaletteCommand = {id: string; title: string; keys?: string; run: (() => void) | undefined};

type Context = {snapshot: Snapshot; intents: Intents; t: Translate; unicode: boolean; context?: ContextCommand[]};

export function refOf(row: TimelineRow): GenerationRef {
	return {repositoryId: row.repositoryId, generationId: row.generation.id, label: row.label, seq: row.generation.seq};
}

/** A keymap entry as a palette line: "Generations: prune" with its keys, or "Go to Drives". */
export function keymapCommand(command: ContextCommand, t: Translate, unicode: boolean): PaletteCommand {
	const binding = bindingOf(command.id);
	const label = t(binding.label);
	const title = binding.id.startsWith('view.') ? t('palette.goTo', {view: label}) : `${t(`scope.${binding.scope}`)}: ${label}`;
	return {id: binding.id, title, keys: binding.keys.map(key => keyLabel(key, unicode)).join(' '), run: command.run};
}

export function buildCommands({snapshot, intents, t, unicode, context = []}: Context): PaletteCommand[] {
	const entries = context.map(command => keymapCommand(command, t, unicode));
	const global = new Set(keymap.filter(binding => binding.scope === 'global').map(binding => binding.id as string));
	const commands: PaletteCommand[] = entries.filter(command => !global.has(command.id));
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

	commands.push(...entries.filter(command => global.has(command.id)));
	return commands;
}
