/**
 * The layers' import rules, enforced by xo in `npm test` (test/boundaries.test.ts proves they bite).
 * core/ is the engine: no OS wrappers, settings, front ends, Ink or execa. Only the TUI imports
 * ui/ (shared text helpers live in text/). app/ (the operations layer) is called by the front
 * ends, never the other way round. Matched on the import text, so no resolver is needed.
 */
const up = String.raw`^(\.\./)+`;
const from = (folders, message) => ({regex: `${up}(${folders.join('|')})(/|$)`, message});

const frontEnds = ['ui', 'cli', 'monitor', 'demo'];

const rules = {
	'source/core/**': {
		paths: ['ink', 'react', 'execa', 'conf', 'blessed', 'blessed-contrib', 'commander'].map(name => ({name, message: 'core/ stays free of front ends, processes and settings.'})),
		patterns: [from(['app', 'system', 'settings', 'text', 'report', ...frontEnds], 'core/ is the engine: it must not import the OS layer, settings, the operations layer or any front end.')],
	},
	'source/{system,settings,text}/**': {
		patterns: [from(['app', ...frontEnds], 'system/, settings/ and text/ sit below the operations layer and the front ends.')],
	},
	'source/report/**': {
		paths: ['ink', 'react', 'execa', 'conf', 'blessed', 'blessed-contrib', 'commander'].map(name => ({name, message: 'report/ is pure: it renders a report, it runs nothing.'})),
		patterns: [from(['app', 'system', 'settings', ...frontEnds], 'report/ is pure: it may use core/ and text/ only.')],
	},
	'source/app/**': {
		paths: ['ink', 'react', 'blessed', 'blessed-contrib', 'commander'].map(name => ({name, message: 'app/ (the operations layer) knows no front end.'})),
		patterns: [from(frontEnds, 'Front ends call app/, never the other way round.')],
	},
	'source/{cli,monitor,demo}/**': {
		patterns: [from(['ui'], 'Only the TUI imports ui/: move shared helpers to text/.')],
	},
};

export const boundaryConfigs = Object.entries(rules).map(([files, options]) => ({
	files: [files],
	rules: {'no-restricted-imports': ['error', options]},
}));
