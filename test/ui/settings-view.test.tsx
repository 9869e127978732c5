import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {keys, renderAt, type Rendered} from './render-helper.js';
import {demoFixture} from './demo-fixture.js';

/**
 * The Settings view over a real demo world, typed into like a technician would: a refused change
 * shows its sentence on screen, keeps the old value and leaves settings.json as it was.
 */
let world: Awaited<ReturnType<typeof demoFixture>>;
let session: Session;
let ui: Rendered;
const ctrlU = '\u0015';

test.before(async () => {
	world = await demoFixture();
	session = new Session({pollMs: 0});
	ui = renderAt(<App session={session} theme={makeTheme({color: false, unicode: true})} liveIntervalMs={20}/>, 100, 32);
	await ui.waitFor('RDX-C');
});

test.after.always(async () => {
	ui?.unmount();
	await session?.dispose();
	await world?.cleanup();
});

/** The main area's text (right of the sidebar) on one line: a wrapped sentence reads whole again. */
function prose(frame: string): string {
	return frame.split('\n').map(line => line.slice(line.indexOf('│') + 1)).join(' ').replaceAll(/[│✗]/g, ' ').replaceAll(/\s+/g, ' ');
}

async function editScratch(value: string): Promise<void> {
	await ui.press('8');
	await ui.waitFor('[Settings]');
	// The last rows: Scratch folder, Passphrase, Forget passphrases.
	await ui.press('G', keys.up, keys.up);
	await ui.waitFor(/› Scratch folder/);
	await ui.press(keys.enter);
	await ui.waitFor(/> .*_/);
	await ui.press(ctrlU);
	await ui.type(value);
	await ui.press(keys.enter);
}

test.serial('setting the scratch folder to the clinic\'s source is refused on screen; the old value stays and nothing is saved', async t => {
	const file = session.settingsStore.path;
	const before = fs.readFileSync(file);
	const oldScratch = session.snapshot.settings.scratch;
	await editScratch(world.clinic);
	const frame = await ui.waitFor(screen => prose(screen).includes('The change was not saved: scratch:'));
	t.true(prose(frame).includes(`The change was not saved: scratch: "${world.clinic}" is inside sources[0] "${world.clinic}", so a test restore would write into the clinic's data`), frame);
	t.deepEqual(fs.readFileSync(file), before, 'settings.json is byte-identical');
	await ui.press(keys.escape);
	const after = await ui.waitFor(screen => !screen.includes('Enter or Esc closes this'));
	t.regex(after, new RegExp(String.raw`Scratch folder\s+${oldScratch.replaceAll('/', String.raw`\/`)}`));
	t.is(session.snapshot.settings.scratch, oldScratch);
});

test.serial('a scratch folder outside every source and repository is saved and shown', async t => {
	const scratch = path.join(world.root, 'drill-restores');
	await editScratch(scratch);
	await ui.waitFor(new RegExp(String.raw`Scratch folder\s+${scratch.replaceAll('/', String.raw`\/`)}`));
	t.is((JSON.parse(fs.readFileSync(session.settingsStore.path, 'utf8')) as {scratch: string}).scratch, scratch);
});

test.serial('adding a source inside the clinic\'s source, or one that does not exist, is refused on screen', async t => {
	const file = session.settingsStore.path;
	const before = fs.readFileSync(file);
	for (const [source, problem] of [
		[path.join(world.clinic, 'inner'), `sources[1]: "${path.join(world.clinic, 'inner')}" is inside sources[0]`],
		[path.join(world.root, 'no-such-folder'), `sources[1]: "${path.join(world.root, 'no-such-folder')}" does not exist`],
	] as const) {
		fs.mkdirSync(path.join(world.clinic, 'inner'), {recursive: true});
		await ui.press('8');
		await ui.waitFor('[Settings]');
		await ui.press('g', keys.down, keys.down);
		await ui.waitFor(/› Source /);
		await ui.press('a');
		await ui.waitFor(/> _/);
		await ui.type(source);
		await ui.press(keys.enter);
		// The exact sentence: the log panel may still show the previous test's refusal.
		const frame = await ui.waitFor(screen => prose(screen).includes(`The change was not saved: ${problem}`));
		t.regex(frame, /Enter or Esc closes this/);
		t.deepEqual(fs.readFileSync(file), before, 'settings.json is byte-identical');
		await ui.press(keys.escape);
		await ui.waitFor(screen => !screen.includes('Enter or Esc closes this'));
	}

	t.deepEqual(session.snapshot.settings.sources, [world.clinic]);
});

test.serial('a relative scratch folder is refused, not resolved against the console\'s working folder', async t => {
	const before = fs.readFileSync(session.settingsStore.path);
	await editScratch('restore');
	const frame = await ui.waitFor(screen => prose(screen).includes('The change was not saved: scratch: "restore" is not an absolute path: give the full path, starting with /.'));
	t.regex(frame, /Enter or Esc closes this/);
	t.deepEqual(fs.readFileSync(session.settingsStore.path), before);
	await ui.press(keys.escape);
	await ui.waitFor(screen => !screen.includes('Enter or Esc closes this'));
});
