import test from 'ava';
import stringWidth from 'string-width';
import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {keys, renderAt, type Rendered} from './render-helper.js';
import {demoFixture} from './demo-fixture.js';

/** The shell at 80×24 over a real demo world: navigation, help, palette, filter, sizes, locales. */
let world: Awaited<ReturnType<typeof demoFixture>>;
// One session for all tests: opening the demo's encrypted repositories costs key derivation.
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

async function open(options: {color?: boolean; unicode?: boolean; columns?: number; rows?: number} = {}): Promise<{ui: Rendered; session: Session}> {
	const session = shared;
	const theme = makeTheme({color: options.color ?? false, unicode: options.unicode ?? true});
	const ui = renderAt(<App session={session} theme={theme} liveIntervalMs={20}/>, options.columns ?? 80, options.rows ?? 24);
	// Keys sent before the app's input hooks mount are lost: wait for the drives to show.
	await ui.waitFor('RDX-C');
	return {ui, session};
}

function lines(frame: string): string[] {
	return frame.split('\n');
}

test.serial('opens on Drives with the status bar naming the site and connected media', async t => {
	const {ui, session} = await open();
	const frame = await ui.waitFor('NAS');
	// At 80 columns the online media become a count and the site is shortened, so that the
	// offline cartridge, the newest backup's age and the last night's result all fit.
	const bar = lines(frame).at(-2) ?? '';
	t.regex(bar, /^ Sakura Clinic.* │ ● 3 ○ RDX-B │ newest \d+h ago \(NAS\) │ ✓ plan nightly ok/u);
	t.true(stringWidth(bar) <= 80);
	t.regex(frame, /\[Drives]/);
	t.regex(frame, /RDX-B\s+offline \(on the shelf\)/);
	// Never wider than the terminal, never taller than it.
	t.true(lines(frame).every(line => stringWidth(line) <= 80));
	t.true(lines(frame).length <= 23);
	ui.unmount();
	session.close();
});

test.serial('number keys switch views; Generations lists every medium, offline ones too', async t => {
	const {ui, session} = await open();
	await ui.press('3');
	const frame = await ui.waitFor(/20 generations on 4 media \(1 offline\)/);
	t.regex(frame, /\[Generations]/);
	t.regex(frame, /○ RDX-B\s+#3/, 'offline media are marked in the medium column');
	t.regex(frame, /NAS\s+#10/);
	await ui.press('8');
	const settings = await ui.waitFor('[Settings]');
	t.regex(settings, /Site name\s+Sakura Clinic \(demo\)/);
	t.regex(settings, /Passphrase\s+read from .*demo-pass/);
	ui.unmount();
	session.close();
});

test.serial('Generations: t groups by retention tier, prune candidates last, with the rule that keeps each', async t => {
	const {ui, session} = await open();
	await ui.press('3');
	let frame = await ui.waitFor(/20 generations on 4 media/);
	t.regex(frame, /Kept by: last 1\/3, daily 1\/7/, 'the newest one: its keeping rules below the list');
	await ui.press('t', 'G');
	// G moves to the last row after t has grouped: wait for the detail of that row, not the first grouped frame.
	frame = await ui.waitFor(/No retention rule keeps it/);
	t.regex(frame, /grouped by tier/);
	t.regex(frame, /› .*#1\s.*prune/, 'the oldest NAS generation is kept by no rule');
	t.regex(frame, /No retention rule keeps it: sedai prune would remove it/);
	const rows = session.snapshot.timeline;
	const tiers = new Set(rows.map(row => row.retention?.tier));
	t.true(tiers.has('weekly') && tiers.has('daily') && tiers.has('prune'));
	await ui.press('g');
	frame = await ui.waitFor(/› .* daily /);
	await ui.press('t');
	frame = await ui.waitFor(/20 generations on 4 media \(1 offline\)\s*\n/);
	t.notRegex(frame, /grouped by tier/);
	ui.unmount();
	session.close();
});

test.serial('Compliance: every check with PASS or FAIL, the selected one\'s evidence and action; the sidebar carries the verdict', async t => {
	const {ui, session} = await open();
	await ui.press('6');
	const frame = await ui.waitFor(/checks fail|checks pass/);
	const report = session.snapshot.compliance!;
	t.is(report.checks.length, 7);
	t.is(frame.split('✓ PASS').length - 1, report.passed);
	t.is(frame.split('✗ FAIL').length - 1, report.failed);

	// The demo has never been fully verified nor drilled here: those two fail, and say what to do.
	t.false(report.checks.find(check => check.id === 'verified')!.pass);
	t.false(report.checks.find(check => check.id === 'restore-drill')!.pass);
	t.regex(frame, /6 Compliance ✗/);
	await ui.press('j', 'j', 'j', 'j', 'j');
	const drill = await ui.waitFor(/→ Run a restore drill/);
	t.regex(drill, /› ✗ FAIL\s+Restore drill/);
	ui.unmount();
	session.close();
});

test.serial('? lists keys from the keymap; q closes it', async t => {
	const {ui, session} = await open();
	await ui.press('?');
	const help = await ui.waitFor('Keys');
	// Where it was opened comes first; typing finds the rest.
	t.regex(help, /Drives {2}\(here\)\n.*e\s+eject/);
	await ui.type('palette');
	t.regex(await ui.waitFor('/ palette_'), /\^P :\s+palette/);
	await ui.press(keys.escape);
	await ui.type('area');
	t.regex(await ui.waitFor('/ area_'), /Tab\s+Next area/);
	await ui.press(keys.escape);
	await ui.waitFor('type to filter');
	await ui.press('q');
	const after = await ui.waitFor(frame => !frame.includes('─ Keys'));
	t.regex(after, /\[Drives]/);
	ui.unmount();
	session.close();
});

test.serial('the palette finds actions by fuzzy search and runs them', async t => {
	const {ui, session} = await open();
	await ui.press(':');
	await ui.waitFor('Command palette');
	await ui.type('gogen');
	// Wait for the whole query to apply: a frame drawn mid-burst also lists Go to Generations.
	const found = await ui.waitFor(/: gogen_/);
	t.regex(found, /› Go to Generations/);
	await ui.press(keys.enter);
	await ui.waitFor('[Generations]');
	await ui.press(keys.ctrlP);
	await ui.type('verify rdx-c full');
	const verify = await ui.waitFor(/› Verify RDX-C \(full\)/);
	t.notRegex(verify, /Back up now/);
	await ui.press(keys.escape);
	t.notRegex(await ui.waitFor(frame => !frame.includes('Command palette')), /Verify RDX-C \(full\)/);
	ui.unmount();
	session.close();
});

test.serial('/ filters a list; Esc clears the filter', async t => {
	const {ui, session} = await open();
	await ui.press('3');
	await ui.waitFor('20 generations');
	await ui.press('/');
	await ui.type('RDX-C');
	const filtered = await ui.waitFor(/\/RDX-C_/);
	const rows = lines(filtered).filter(line => /#\d+/.test(line));
	t.true(rows.length > 0);
	t.true(rows.every(line => line.includes('RDX-C')));
	await ui.press(keys.enter, keys.escape);
	const cleared = await ui.waitFor(frame => frame.includes('NAS') && !frame.includes('/RDX-C'));
	t.regex(cleared, /NAS\s+#10/);
	ui.unmount();
	session.close();
});

test.serial('Tab moves focus sidebar → editor → panel; arrows in the sidebar change the view', async t => {
	const {ui, session} = await open();
	await ui.press(keys.shiftTab);
	await ui.press(keys.down);
	await ui.waitFor('[Backup]');
	await ui.press(keys.tab, keys.tab);
	const panel = await ui.waitFor('No jobs yet');
	t.regex(panel, /─ Jobs/);
	t.notRegex(panel, /Space tick/);
	ui.unmount();
	session.close();
});

test.serial('below 80×24 it says so instead of breaking; resizing back restores the shell', async t => {
	const {ui, session} = await open();
	await ui.resize(60, 20);
	const small = await ui.waitFor('Terminal too small');
	t.regex(small, /needs 80×24/);
	t.regex(small, /This one is 60×20/);
	await ui.resize(200, 50);
	const big = await ui.waitFor('[Drives]');
	t.true(lines(big).some(line => stringWidth(line) > 150));
	ui.unmount();
	session.close();
});

test.serial('without colour no colour codes are written; state still reads as glyph and word', async t => {
	const {ui, session} = await open({color: false});
	await ui.press('3');
	await ui.waitFor('20 generations');
	const raw = ui.frames.at(-1)!;

	t.notRegex(raw, /\u001B\[(3\d|9\d|4\d)(;\d+)*m/);
	t.regex(ui.lastFrame(), /○ RDX-B/);
	ui.unmount();
	session.close();
});

test.serial('the Drives columns never cut a verdict or the write-protect word: 80 and 200 columns, English, Japanese and ASCII', async t => {
	const cases = [
		{lang: 'C.UTF-8', unicode: true, failing: /✗ FAILING +rw /u, ok: /✓ OK +rw /u},
		{lang: 'C', unicode: false, failing: /x FAILING +rw /, ok: /\+ OK +rw /},
		{lang: 'ja_JP.UTF-8', unicode: true, failing: /✗ 故障 +書込可 /u, ok: /✓ 正常 +書込可 /u},
	];
	const previous = process.env['LANG'];
	try {
		for (const {lang, unicode, failing, ok} of cases) {
			process.env['LANG'] = lang;
			for (const columns of [80, 200]) {
				const {ui} = await open({unicode, columns, rows: columns === 80 ? 24 : 50});
				const frame = await ui.waitFor(screen => failing.test(screen));
				t.regex(frame, ok, `${lang} at ${columns}`);
				t.true(lines(frame).every(line => stringWidth(line) <= columns), `${lang} at ${columns}: no line wider than the terminal`);
				ui.unmount();
			}
		}
	} finally {
		process.env['LANG'] = previous;
	}
});

test.serial('the Backup view\'s target rows keep the state, free space and last backup whole: 80 and 200 columns, English, Japanese and ASCII', async t => {
	const cases = [
		{lang: 'C.UTF-8', unicode: true, target: 'target', offline: /RDX-B +○ offline +insert to use +last #\d+ /u, end: /(ago|just now|no generations yet)$/},
		{lang: 'C', unicode: false, target: 'target', offline: /RDX-B +o offline +insert to use +last #\d+ /, end: /(ago|just now|no generations yet)$/},
		{lang: 'ja_JP.UTF-8', unicode: true, target: '保存先', offline: /RDX-B +○ オフライン +挿入で使用可 +前回 #\d+ /u, end: /(前|たった今|世代なし)$/u},
	];
	const previous = process.env['LANG'];
	try {
		for (const {lang, unicode, target, offline, end} of cases) {
			process.env['LANG'] = lang;
			for (const columns of [80, 200]) {
				const {ui} = await open({unicode, columns, rows: columns === 80 ? 24 : 50});
				await ui.press('2');
				const frame = await ui.waitFor(screen => offline.test(screen));
				const rows = lines(frame).filter(line => line.includes(` ${target}  `)).map(line => line.trimEnd());
				t.is(rows.length, 4, `${lang} at ${columns}: one row per configured target`);
				for (const row of rows) {
					t.regex(row, end, `${lang} at ${columns}: the age is not cut in ${JSON.stringify(row)}`);
				}

				ui.unmount();
			}
		}
	} finally {
		process.env['LANG'] = previous;
	}
});

test.serial('the Drives view keeps each drive\'s media and generation count whole at 80 columns; the model gives way', async t => {
	const previous = process.env['LANG'];
	try {
		for (const [lang, unicode] of [['C.UTF-8', true], ['C', false], ['ja_JP.UTF-8', true]] as const) {
			process.env['LANG'] = lang;
			const {ui} = await open({unicode});
			const frame = await ui.waitFor(/RDX-C/);
			const rows = lines(frame).filter(line => /^.{14}. [ ›>] RDX-[AC] /u.test(line) || /RDX-[AC]\s+RDX /.test(line)).map(line => line.trimEnd());
			t.is(rows.length, 2, `${lang}: one row per connected cartridge in ${JSON.stringify(lines(frame).slice(0, 6))}`);
			for (const row of rows) {
				t.regex(row, /RDX-[AC] \(\d+\)$/, `${lang}: the media column is whole in ${JSON.stringify(row)}`);
			}

			ui.unmount();
		}
	} finally {
		process.env['LANG'] = previous;
	}
});

test.serial('the key hints at 80 columns keep every hint whole and the global ones last, in every view and language', async t => {
	const previous = process.env['LANG'];
	try {
		for (const [lang, back] of [['C.UTF-8', 'q back'], ['ja_JP.UTF-8', 'q 戻る']] as const) {
			process.env['LANG'] = lang;
			const {ui} = await open();
			for (const view of ['1', '2', '3', '4', '5', '6', '7', '8']) {
				await ui.press(view);
				// The sidebar marks the view the number opened: wait for it before reading the hints.
				const frame = await ui.waitFor(screen => lines(screen).some(line => line.startsWith(`›${view} `)));
				const hints = lines(frame).at(-1)!.trimEnd();
				t.true(hints.endsWith(back), `${lang}, view ${view}: ${JSON.stringify(hints)}`);
				t.false(hints.includes('…'), `${lang}, view ${view}: no hint cut in ${JSON.stringify(hints)}`);
			}

			ui.unmount();
		}
	} finally {
		process.env['LANG'] = previous;
	}
});

test.serial('the drive tab shows smartctl\'s attribute table and self-test log, scrolling with j/G, what is out of sight counted', async t => {
	const {ui} = await open();
	await ui.press('j');
	await ui.waitFor(/› RDX-C /u);
	await ui.press(keys.enter);
	const top = await ui.waitFor(screen => screen.includes('[RDX-C details]') && screen.includes('self-assessment says FAILED'));
	t.regex(top, /! The drive's own health self-assessment says FAILED: copy\s/u, 'SMART advice wraps instead of being cut');
	t.regex(top, /↓ \d+ more/u);
	// Eight keys in one burst scroll eight rows: the attribute table's heading comes into sight.
	await ui.type('jjjjjjjj');
	// Wait for the burst's last key (a frame between keys may already show the heading).
	const table = await ui.waitFor(/↑ 8 more/u);
	t.regex(table, /ID +attribute +value +worst +thresh +raw/);
	await ui.press('G');
	const bottom = await ui.waitFor(screen => screen.includes('Self-test log (newest first)') || /✗ Extended offline +Completed: read failure/u.test(screen));
	t.regex(bottom, /✗ Extended offline +Completed: read failure +at [\d,]+ h/u, 'the failed self-test, with its hour, not cut');
	t.regex(bottom, /↑ \d+ more/u);
	t.notRegex(bottom, /↓ \d+ more/u, 'at the end nothing is below');
	ui.unmount();
});

test.serial('ASCII mode (LANG=C) draws no box or CJK characters', async t => {
	const {ui, session} = await open({unicode: false});
	await ui.press('3');
	const frame = await ui.waitFor('20 generations');
	t.regex(frame, /\|/);

	t.notRegex(frame, /[^\u0000-\u007F]/);
	ui.unmount();
	session.close();
});

test.serial('Japanese UI keeps every line within 80 columns (CJK counts double)', async t => {
	const previous = process.env['LANG'];
	process.env['LANG'] = 'ja_JP.UTF-8';
	try {
		const {ui, session} = await open();
		const frame = await ui.waitFor('ドライブ');
		t.regex(frame, /バックアップ/);
		t.regex(frame, /世代/);
		for (const [key, title] of [['2', 'バックアップ'], ['3', '世代'], ['4', '復元'], ['5', '検証'], ['8', '設定']] as const) {
			await ui.press(key);
			const current = await ui.waitFor(`[${title}]`);
			for (const line of lines(current)) {
				t.true(stringWidth(line) <= 80, `too wide: ${line}`);
			}
		}

		ui.unmount();
		session.close();
	} finally {
		process.env['LANG'] = previous;
	}
});
