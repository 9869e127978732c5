import test from 'ava';
import {en} from '../../source/ui/i18n/en.js';
import {keyLabel, keymap, type Binding, type Scope} from '../../source/ui/keymap/keymap.js';
import {keys, type Rendered} from './render-helper.js';
import {openDemoConsole, type DemoConsole} from './demo-console.js';

/**
 * The palette is the keymap: every entry of the keymap is offered by the palette where it
 * applies (its title and its keys), and listed by the help overlay, which starts with where it
 * was opened and filters by what is typed. Real console over a real demo world, at 80×24.
 */
let ui: Rendered;

let demo: DemoConsole | undefined;

test.before(async () => {
	demo = await openDemoConsole();
	({ui} = demo);
});

test.after.always(async () => {
	await demo?.close();
});

const keysText = (binding: Binding) => binding.keys.map(key => keyLabel(key, true)).join(' ');

const selectedLine = (frame: string) => frame.split('\n').find(line => line.includes(' › ')) ?? '';

/** Every line the palette shows, scrolled through from the first to the last, one frame per step. */
async function paletteLines(): Promise<string> {
	await ui.press(':');
	let frame = await ui.waitFor('Command palette');
	const count = Number(/(\d+) actions/.exec(frame)?.[1]);
	const seen = new Set<string>(frame.split('\n'));
	for (let index = 1; index < count; index++) {
		const before = selectedLine(frame);
		await ui.press(keys.down);
		frame = await ui.waitFor(screen => screen.includes('Command palette') && selectedLine(screen) !== before);
		for (const line of frame.split('\n')) {
			seen.add(line);
		}
	}

	await ui.press(keys.escape);
	await ui.waitFor(screen => !screen.includes('Command palette'));
	return [...seen].join('\n');
}

/** Where each scope's entries apply: the keys that get there from the Drives view. */
const places: Array<{scopes: Scope[]; go: string[]; undo: string[]}> = [
	{scopes: ['global', 'list', 'drives'], go: ['1'], undo: []},
	{scopes: ['backup'], go: ['2'], undo: []},
	{scopes: ['generations'], go: ['3'], undo: []},
	{scopes: ['restore'], go: ['4'], undo: []},
	{scopes: ['verify'], go: ['5'], undo: []},
	{scopes: ['compliance'], go: ['6'], undo: []},
	{scopes: ['drills'], go: ['7'], undo: []},
	{scopes: ['settings'], go: ['8'], undo: []},
	{scopes: ['browse'], go: ['3', keys.enter], undo: ['w']},
	{scopes: ['sidebar'], go: ['1', keys.shiftTab], undo: [keys.tab]},
	{scopes: ['panel'], go: ['1', keys.tab], undo: [keys.tab, keys.tab, keys.tab]},
	{scopes: ['log'], go: ['1', keys.tab, keys.tab], undo: [keys.tab, keys.tab]},
	{scopes: ['scratch'], go: ['7', 's'], undo: ['w']},
];

test.serial('every keymap entry is in the palette where it applies, with its keys', async t => {
	const covered = new Set<string>();
	for (const place of places) {
		await ui.press(...place.go);
		const lines = await paletteLines();
		for (const binding of keymap.filter(item => place.scopes.includes(item.scope))) {
			const label = en[binding.label];
			const title = binding.id.startsWith('view.') ? `Go to ${label}` : `${en[`scope.${binding.scope}`]}: ${label}`;
			t.true(lines.includes(`${title}  ${keysText(binding)}`), `${binding.id}: "${title}  ${keysText(binding)}" in the palette`);
			covered.add(binding.id);
		}

		await ui.press(...place.undo);
	}

	// The palette's own keys are its footer.
	await ui.press('1', ':');
	const palette = await ui.waitFor('Command palette');
	for (const binding of keymap.filter(item => item.scope === 'palette')) {
		t.true(palette.includes(`${keysText(binding)} ${en[binding.label]}`), binding.id);
		covered.add(binding.id);
	}

	await ui.press(keys.escape);
	// The help overlay's own keys are in it like all others (next test); a drill report's tab needs a
	// drill this world has not run (test/e2e/drill-tmux opens one); the rest are covered above.
	const left = keymap.filter(binding => !covered.has(binding.id) && !['help', 'diff', 'report'].includes(binding.scope)).map(binding => binding.id);
	t.deepEqual(left, []);
});

/** Every line of the help overlay, paged through. */
async function helpLines(): Promise<string> {
	await ui.press('?');
	let frame = await ui.waitFor('─ Keys');
	const seen = new Set<string>(frame.split('\n'));
	for (let page = 0; page < 40 && frame.includes('↓ more'); page++) {
		await ui.press(keys.pageDown);
		frame = await ui.waitFor(screen => screen.includes('─ Keys'));
		for (const line of frame.split('\n')) {
			seen.add(line);
		}
	}

	return [...seen].join('\n');
}

test.serial('help lists every keymap entry, starts with where it was opened, and filters by typing', async t => {
	await ui.press('3');
	await ui.waitFor('[Generations]');
	const all = await helpLines();
	for (const binding of keymap) {
		t.regex(all, new RegExp(String.raw`${keysText(binding).replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)}\s+${en[binding.label].replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)}`), binding.id);
	}

	await ui.press(keys.escape);
	await ui.waitFor(screen => !screen.includes('─ Keys'));
	await ui.press('?');
	const first = await ui.waitFor('─ Keys');
	t.regex(first, /type to filter\n.*Generations {2}\(here\)/);
	await ui.type('prune');
	const filtered = await ui.waitFor('/ prune_');
	t.regex(filtered, /p\s+prune/);
	t.notRegex(filtered, /eject/);
	// Esc clears the filter first, then closes.
	await ui.press(keys.escape);
	await ui.waitFor('type to filter');
	await ui.press('q');
	t.regex(await ui.waitFor(screen => !screen.includes('─ Keys')), /\[Generations]/);
});
