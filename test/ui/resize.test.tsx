// eslint-disable-next-line import-x/no-unassigned-import, import-x/order -- must run before ink is loaded
import './interactive-terminal.js';
import test from 'ava';
import {render} from 'ink';
import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {ScreenWriter} from '../../source/ui/screen-writer.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {FakeStdin} from './render-helper.js';
import {ScreenModel} from './screen-model.js';
import {demoFixture} from './demo-fixture.js';

/**
 * Frames stay whole: the console drawn as run-tui draws it (Ink → ScreenWriter → a terminal's
 * screen), resized fast, shows exactly what a fresh start at the final size shows.
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

function console(columns: number, rows: number) {
	const terminal = new ScreenModel(columns, rows);
	const screen = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
	const stdin = new FakeStdin();
	screen.open();
	const instance = render(<App session={shared} theme={makeTheme({color: false, unicode: true})} reserveRows={0}/>, {
		stdout: screen as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		exitOnCtrlC: false,
		patchConsole: false,
		maxFps: 20,
	});
	return {terminal, stdin, stop() {
		instance.unmount();
		instance.cleanup();
		screen.close();
	}};
}

async function until(check: () => boolean, what: () => string): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > 10_000) {
			throw new Error(`Timed out; the screen:\n${what()}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}

const ready = (text: string) => text.includes('RDX-C') && text.includes('newest');

/**
 * Both consoles show the same session, and each start re-reads the drives (free space moves as
 * the disk is used): so wait until the two screens agree, rather than compare one moment's.
 */
async function agree(a: ScreenModel, b: ScreenModel): Promise<void> {
	await until(() => ready(a.text()) && a.text() === b.text(), () => `${a.text()}\n---- expected ----\n${b.text()}`);
}

test.serial('200×50 → 81×25 → 80×24 in quick succession leaves the frame a fresh 80×24 start draws', async t => {
	const resized = console(200, 50);
	await until(() => ready(resized.terminal.text()), () => resized.terminal.text());
	resized.terminal.resize(81, 25);
	resized.terminal.resize(80, 24);
	const reference = console(80, 24);
	await agree(resized.terminal, reference.terminal);
	const [title] = resized.terminal.text().split('\n');
	t.regex(title, /^ Sedai .*\[Drives]/, 'the title bar is on the first row');
	t.is(resized.terminal.text(), reference.terminal.text());
	t.is(resized.terminal.text().split('\n').length, 24);
	resized.stop();
	reference.stop();
});

test.serial('Ctrl+L paints the whole screen again over whatever else was written to it', async t => {
	const ui = console(80, 24);
	const reference = console(80, 24);
	await agree(ui.terminal, reference.terminal);
	// Something else scribbles on the terminal (a stray write, a tmux message).
	ui.terminal.write('\u001B[1;1Hgarbage\u001B[12;30Hmore garbage');
	t.not(ui.terminal.text(), reference.terminal.text());
	ui.stdin.write('\u000C');
	await agree(ui.terminal, reference.terminal);
	t.is(ui.terminal.text(), reference.terminal.text());
	ui.stop();
	reference.stop();
});
