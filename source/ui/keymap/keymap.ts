import type {MessageKey} from '../i18n/en.js';

/**
 * Keys as data: every command id with its bindings, where it applies and its label. The hint
 * bar, the `?` overlay and the palette all read this one table, so they never disagree; a view
 * gives each of its entries an action (useCommands), which is what the palette runs.
 */
export type Scope = 'global' | 'sidebar' | 'list' | 'panel' | 'log' | 'drives' | 'backup' | 'generations' | 'browse' | 'diff' | 'verify' | 'restore' | 'settings' | 'compliance' | 'drills' | 'scratch' | 'report' | 'palette' | 'help';

export type CommandId
	= | 'app.palette' | 'app.help' | 'app.back' | 'app.quit' | 'app.refresh' | 'app.redraw'
		| 'focus.next' | 'focus.prev'
		| 'view.drives' | 'view.backup' | 'view.generations' | 'view.restore' | 'view.verify' | 'view.compliance' | 'view.drills' | 'view.settings'
		| 'tab.next' | 'tab.prev' | 'tab.close'
		| 'list.up' | 'list.down' | 'list.pageUp' | 'list.pageDown' | 'list.top' | 'list.bottom' | 'list.open' | 'list.filter'
		| 'sidebar.up' | 'sidebar.down' | 'sidebar.open'
		| 'drives.eject' | 'drives.mount' | 'drives.stored' | 'drives.unlock' | 'drives.sort'
		| 'backup.toggle' | 'backup.start' | 'backup.schedule' | 'backup.unschedule' | 'backup.plan'
		| 'job.up' | 'job.down' | 'job.open' | 'job.cancel'
		| 'log.filter' | 'log.level'
		| 'gen.mark' | 'gen.diff' | 'gen.restore' | 'gen.tiers' | 'gen.prune' | 'gen.protect' | 'gen.sort'
		| 'compliance.fix' | 'drills.new' | 'drills.open' | 'drills.scratch' | 'scratch.delete'
		| 'report.scroll' | 'report.page'
		| 'browse.up' | 'browse.restore'
		| 'verify.level' | 'verify.start' | 'verify.all'
		| 'restore.start' | 'restore.whole'
		| 'settings.edit' | 'settings.add' | 'settings.remove' | 'settings.init'
		| 'palette.run' | 'palette.up' | 'palette.down' | 'palette.close'
		| 'help.close' | 'help.scroll' | 'help.page';

export type Binding = {
	id: CommandId;
	keys: string[];
	scope: Scope;
	label: MessageKey;
	/** Shown in the hint bar when its scope is active. */
	hint?: boolean;
};

export const keymap: Binding[] = [
	{id: 'app.palette', keys: ['ctrl+p', ':'], scope: 'global', label: 'cmd.palette', hint: true},
	{id: 'app.help', keys: ['?'], scope: 'global', label: 'cmd.help', hint: true},
	{id: 'app.back', keys: ['escape', 'q'], scope: 'global', label: 'cmd.back', hint: true},
	{id: 'app.quit', keys: ['ctrl+c'], scope: 'global', label: 'cmd.quit'},
	{id: 'app.refresh', keys: ['ctrl+r'], scope: 'global', label: 'cmd.refresh'},
	{id: 'app.redraw', keys: ['ctrl+l'], scope: 'global', label: 'cmd.redraw'},
	{id: 'focus.next', keys: ['tab'], scope: 'global', label: 'cmd.focusNext'},
	{id: 'focus.prev', keys: ['shift+tab'], scope: 'global', label: 'cmd.focusPrev'},
	{id: 'view.drives', keys: ['1'], scope: 'global', label: 'view.drives'},
	{id: 'view.backup', keys: ['2'], scope: 'global', label: 'view.backup'},
	{id: 'view.generations', keys: ['3'], scope: 'global', label: 'view.generations'},
	{id: 'view.restore', keys: ['4'], scope: 'global', label: 'view.restore'},
	{id: 'view.verify', keys: ['5'], scope: 'global', label: 'view.verify'},
	{id: 'view.compliance', keys: ['6'], scope: 'global', label: 'view.compliance'},
	{id: 'view.drills', keys: ['7'], scope: 'global', label: 'view.drills'},
	{id: 'view.settings', keys: ['8'], scope: 'global', label: 'view.settings'},
	{id: 'tab.next', keys: [']'], scope: 'global', label: 'cmd.tabNext'},
	{id: 'tab.prev', keys: ['['], scope: 'global', label: 'cmd.tabPrev'},
	{id: 'tab.close', keys: ['w'], scope: 'global', label: 'cmd.tabClose'},
	{id: 'list.up', keys: ['up', 'k'], scope: 'list', label: 'cmd.up'},
	{id: 'list.down', keys: ['down', 'j'], scope: 'list', label: 'cmd.down'},
	{id: 'list.pageUp', keys: ['pageup'], scope: 'list', label: 'cmd.pageUp'},
	{id: 'list.pageDown', keys: ['pagedown'], scope: 'list', label: 'cmd.pageDown'},
	{id: 'list.top', keys: ['home', 'g'], scope: 'list', label: 'cmd.top'},
	{id: 'list.bottom', keys: ['end', 'G'], scope: 'list', label: 'cmd.bottom'},
	{id: 'list.open', keys: ['return'], scope: 'list', label: 'cmd.open'},
	{id: 'list.filter', keys: ['/'], scope: 'list', label: 'cmd.filter', hint: true},
	{id: 'sidebar.up', keys: ['up', 'k'], scope: 'sidebar', label: 'cmd.previousView'},
	{id: 'sidebar.down', keys: ['down', 'j'], scope: 'sidebar', label: 'cmd.nextView'},
	{id: 'sidebar.open', keys: ['return', 'right', 'l'], scope: 'sidebar', label: 'cmd.enterView'},
	{id: 'drives.eject', keys: ['e'], scope: 'drives', label: 'cmd.eject', hint: true},
	{id: 'drives.mount', keys: ['i'], scope: 'drives', label: 'cmd.mount', hint: true},
	{id: 'drives.stored', keys: ['s'], scope: 'drives', label: 'cmd.storedAway', hint: true},
	{id: 'drives.unlock', keys: ['u'], scope: 'drives', label: 'cmd.unlock', hint: true},
	// The o key (order) sorts every list: s is taken by stored-away here and by schedule in Backup.
	{id: 'drives.sort', keys: ['o'], scope: 'drives', label: 'cmd.sort', hint: true},
	{id: 'backup.toggle', keys: ['space'], scope: 'backup', label: 'cmd.toggle', hint: true},
	{id: 'backup.start', keys: ['b'], scope: 'backup', label: 'cmd.backupStart', hint: true},
	{id: 'backup.schedule', keys: ['s'], scope: 'backup', label: 'cmd.schedule', hint: true},
	{id: 'backup.unschedule', keys: ['x'], scope: 'backup', label: 'cmd.unschedule'},
	{id: 'backup.plan', keys: ['p'], scope: 'backup', label: 'cmd.runPlan', hint: true},
	{id: 'job.up', keys: ['up', 'k'], scope: 'panel', label: 'cmd.up'},
	{id: 'job.down', keys: ['down', 'j'], scope: 'panel', label: 'cmd.down'},
	{id: 'job.open', keys: ['return'], scope: 'panel', label: 'cmd.jobView'},
	{id: 'job.cancel', keys: ['c'], scope: 'panel', label: 'cmd.cancelJob', hint: true},
	{id: 'log.filter', keys: ['/'], scope: 'log', label: 'cmd.filter', hint: true},
	{id: 'log.level', keys: ['f'], scope: 'log', label: 'cmd.logLevel', hint: true},
	{id: 'gen.mark', keys: ['space'], scope: 'generations', label: 'cmd.mark', hint: true},
	{id: 'gen.diff', keys: ['d'], scope: 'generations', label: 'cmd.diff', hint: true},
	{id: 'gen.restore', keys: ['r'], scope: 'generations', label: 'cmd.testRestore', hint: true},
	{id: 'gen.prune', keys: ['p'], scope: 'generations', label: 'cmd.prune', hint: true},
	{id: 'gen.protect', keys: ['P'], scope: 'generations', label: 'cmd.protect'},
	{id: 'gen.sort', keys: ['o'], scope: 'generations', label: 'cmd.sort', hint: true},
	{id: 'gen.tiers', keys: ['t'], scope: 'generations', label: 'cmd.tiers', hint: true},
	{id: 'compliance.fix', keys: ['return'], scope: 'compliance', label: 'cmd.fix', hint: true},
	{id: 'drills.open', keys: ['return', 'o'], scope: 'drills', label: 'cmd.openReport', hint: true},
	{id: 'drills.new', keys: ['n'], scope: 'drills', label: 'cmd.newDrill', hint: true},
	{id: 'drills.scratch', keys: ['s'], scope: 'drills', label: 'cmd.scratch', hint: true},
	{id: 'scratch.delete', keys: ['x', 'delete'], scope: 'scratch', label: 'cmd.deleteScratch', hint: true},
	{id: 'report.scroll', keys: ['up', 'down'], scope: 'report', label: 'cmd.scroll', hint: true},
	{id: 'report.page', keys: ['pageup', 'pagedown'], scope: 'report', label: 'cmd.page', hint: true},
	{id: 'browse.up', keys: ['backspace', 'left', 'h'], scope: 'browse', label: 'cmd.parent', hint: true},
	{id: 'browse.restore', keys: ['r'], scope: 'browse', label: 'cmd.testRestore', hint: true},
	{id: 'verify.level', keys: ['l', 'left', 'right'], scope: 'verify', label: 'cmd.level', hint: true},
	{id: 'verify.start', keys: ['v'], scope: 'verify', label: 'cmd.verify', hint: true},
	{id: 'verify.all', keys: ['a'], scope: 'verify', label: 'cmd.verifyAll', hint: true},
	{id: 'restore.start', keys: ['r'], scope: 'restore', label: 'cmd.testRestore', hint: true},
	{id: 'restore.whole', keys: ['x'], scope: 'restore', label: 'cmd.wholeGeneration', hint: true},
	{id: 'settings.edit', keys: ['return'], scope: 'settings', label: 'cmd.edit', hint: true},
	{id: 'settings.add', keys: ['a'], scope: 'settings', label: 'cmd.add', hint: true},
	{id: 'settings.init', keys: ['n'], scope: 'settings', label: 'cmd.newRepository', hint: true},
	{id: 'settings.remove', keys: ['x'], scope: 'settings', label: 'cmd.remove', hint: true},
	{id: 'palette.run', keys: ['return'], scope: 'palette', label: 'cmd.run'},
	{id: 'palette.up', keys: ['up', 'ctrl+k'], scope: 'palette', label: 'cmd.up'},
	{id: 'palette.down', keys: ['down', 'ctrl+j', 'tab'], scope: 'palette', label: 'cmd.down'},
	{id: 'palette.close', keys: ['escape', 'ctrl+p'], scope: 'palette', label: 'cmd.close'},
	{id: 'help.close', keys: ['escape', 'q', '?'], scope: 'help', label: 'cmd.close'},
	{id: 'help.scroll', keys: ['up', 'down'], scope: 'help', label: 'cmd.scroll'},
	{id: 'help.page', keys: ['pageup', 'pagedown'], scope: 'help', label: 'cmd.page'},
];

/** Scopes whose keys work inside an overlay: the palette and help list them in their footers. */
export const overlayScopes: Scope[] = ['palette', 'help'];

const byId = new Map(keymap.map(binding => [binding.id, binding]));

export function bindingOf(id: CommandId): Binding {
	return byId.get(id)!;
}

export function keysOf(id: CommandId): string[] {
	return byId.get(id)?.keys ?? [];
}

/** Display form of a key name: ^P, Esc, ↑ (or Up without Unicode). */
export function keyLabel(name: string, unicode: boolean): string {
	const special: Record<string, [string, string]> = {
		up: ['↑', 'Up'],
		down: ['↓', 'Dn'],
		left: ['←', 'Left'],
		right: ['→', 'Right'],
		return: ['⏎', 'Enter'],
		escape: ['Esc', 'Esc'],
		space: ['Space', 'Space'],
		tab: ['Tab', 'Tab'],
		'shift+tab': ['S-Tab', 'S-Tab'],
		backspace: ['BS', 'BS'],
		pageup: ['PgUp', 'PgUp'],
		pagedown: ['PgDn', 'PgDn'],
		home: ['Home', 'Home'],
		end: ['End', 'End'],
	};
	const found = special[name];
	if (found) {
		return unicode ? found[0] : found[1];
	}

	if (name.startsWith('ctrl+')) {
		return `^${name.slice(5).toUpperCase()}`;
	}

	return name;
}
