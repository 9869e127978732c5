import test from 'ava';
import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {keys, renderAt, type Rendered} from './render-helper.js';
import {demoFixture} from './demo-fixture.js';

/**
 * Type-ahead: keys that arrive faster than frames (one write holding several, one key per write
 * with no frame between, a burst while a view is being drawn) are each handled, in order, and the
 * screen ends where the same keys typed slowly would leave it. Nothing here waits a fixed time:
 * keys are written back to back, then the test waits for the frame that proves them applied.
 */
let world: Awaited<ReturnType<typeof demoFixture>>;
let shared: Session;

test.before(async () => {
	world = await demoFixture();
	shared = new Session({pollMs: 0});
	await shared.refresh();
});

test.after.always(async () => {
	await shared?.dispose();
	await world?.cleanup();
});

async function open(): Promise<{ui: Rendered; seen: string[]}> {
	const seen: string[] = [];
	const ui = renderAt(<App session={shared} theme={makeTheme({color: false, unicode: true})} liveIntervalMs={20} onKey={event => {
		seen.push(event.name);
	}}/>);
	// Keys sent before the app's input hooks mount are lost: wait for the drives to show.
	await ui.waitFor('RDX-C');
	return {ui, seen};
}

/** The list row the cursor is on (the pointer, then the row). */
function cursorRow(frame: string): string {
	return frame.split('\n').find(line => line.includes('│›')) ?? '';
}

test.serial('j and Enter in one write: the cursor moves, then the drive under it opens', async t => {
	const {ui, seen} = await open();
	ui.write(`j${keys.enter}`);
	const frame = await ui.waitFor('[RDX-C details]');
	t.deepEqual(seen, ['j', 'return']);
	t.regex(frame, /bays\/RDX-C/);
	ui.unmount();
});

test.serial('one key per write with no frame between: 5 j j j l reach Verify in order', async t => {
	const {ui, seen} = await open();
	for (const key of ['5', 'j', 'j', 'j', 'l']) {
		ui.write(key);
	}

	const frame = await ui.waitFor('verify NAS (full)');
	t.deepEqual(seen, ['5', 'j', 'j', 'j', 'l']);
	t.regex(frame, /\[Verify]/);
	t.regex(cursorRow(frame), /NAS/, 'three j on three media: the cursor stops on the last');
	t.regex(frame, /\(•\) full/);
	ui.unmount();
});

test.serial('/ and the filter typed while Generations is still being drawn: every character lands', async t => {
	const {ui, seen} = await open();
	for (const key of '3/RDX-C') {
		ui.write(key);
	}

	const frame = await ui.waitFor(/\/RDX-C_/);
	t.deepEqual(seen, [...'3/RDX-C']);
	const rows = frame.split('\n').filter(line => /#\d+/.test(line));
	t.true(rows.length > 0);
	t.true(rows.every(line => line.includes('RDX-C')));
	ui.write(keys.escape);
	await ui.waitFor(frame => !frame.includes('/RDX-C'));
	ui.unmount();
});

test.serial('keys split across writes mid-burst: the same result as typed one by one', async t => {
	const {ui, seen} = await open();
	ui.write('3/R');
	ui.write('DX');
	ui.write(`-C${keys.enter}j`);
	const onRdxC = shared.snapshot.timeline.filter(row => row.label === 'RDX-C');
	const frame = await ui.waitFor(frame => frame.includes('/RDX-C  ') && cursorRow(frame).includes(`#${onRdxC[1]?.generation.seq ?? '?'}`));
	t.deepEqual(seen, [...'3/RDX-C', 'return', 'j']);
	t.regex(frame, new RegExp(`/RDX-C {2}${onRdxC.length} shown`), 'Enter kept the filter');
	t.regex(cursorRow(frame), /RDX-C/, 'j moved within the filtered rows');
	ui.unmount();
});

test.serial('a burst ending in Enter opens what the cursor reached: 3 j Enter browses the second generation on the timeline', async t => {
	const {ui, seen} = await open();
	ui.write('3');
	ui.write(`j${keys.enter}`);
	const second = shared.snapshot.timeline[1];
	const frame = await ui.waitFor(/Generations │\[/);
	t.deepEqual(seen, ['3', 'j', 'return']);
	t.regex(frame, new RegExp(String.raw`\[${second.label} #${second.generation.seq} files]`));
	ui.unmount();
});

test.serial('Esc and the next key in one write (fast typing over SSH): both keys, not one Alt+key', async t => {
	const {ui, seen} = await open();
	await ui.press('?');
	await ui.waitFor('type to filter');
	ui.write(`${keys.escape}3`);
	const frame = await ui.waitFor(screen => screen.includes('[Generations]') && !screen.includes('type to filter'));
	t.deepEqual(seen, ['?', 'escape', '3']);
	t.regex(frame, /\[Generations]/);
	ui.write(`${keys.escape}jk`);
	await ui.waitFor(() => seen.length === 6);
	t.deepEqual(seen.slice(3), ['escape', 'j', 'k']);
	ui.write(`${keys.escape}${keys.enter}`);
	await ui.waitFor(() => seen.length === 8);
	t.deepEqual(seen.slice(6), ['escape', 'return']);
	ui.unmount();
});
