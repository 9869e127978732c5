import test from 'ava';
import stringWidth from 'string-width';
import {detectCapabilities} from '../../source/text/capabilities.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {asciiSymbols, unicodeSymbols} from '../../source/text/symbols.js';
import {chooseLanguage, translator} from '../../source/ui/i18n/i18n.js';
import {en} from '../../source/ui/i18n/en.js';
import {ja} from '../../source/ui/i18n/ja.js';
import {asciiOnly, fit} from '../../source/ui/components/row.js';
import {progressBar, percent} from '../../source/text/progress-bar.js';
import {wrapText} from '../../source/text/wrap.js';

/** Terminal reality in small pieces: colour, glyphs, languages, widths. */
test('NO_COLOR and TERM=dumb turn every colour token off; a TTY with neither keeps them', t => {
	const off = makeTheme(detectCapabilities({NO_COLOR: '1', LANG: 'en_US.UTF-8'}, true));
	t.is(off.color('bad'), undefined);
	t.is(makeTheme(detectCapabilities({TERM: 'dumb', LANG: 'en_US.UTF-8'}, true)).color('ok'), undefined);
	t.is(makeTheme(detectCapabilities({TERM: 'xterm-256color', LANG: 'en_US.UTF-8'}, true)).color('bad'), 'red');
});

test('LANG=C picks the ASCII glyph set; UTF-8 the Unicode one; every glyph is one column', t => {
	t.is(makeTheme(detectCapabilities({LANG: 'C', TERM: 'xterm'}, true)).symbols, asciiSymbols);
	t.is(makeTheme(detectCapabilities({LANG: 'ja_JP.UTF-8', TERM: 'xterm'}, true)).symbols, unicodeSymbols);
	for (const [name, glyph] of Object.entries(asciiSymbols)) {
		t.regex(glyph, /^[\u0020-\u007E]+$/, `ascii ${name}`);
	}

	for (const name of ['vertical', 'horizontal', 'barFull', 'barEmpty', 'pointer', 'ok', 'bad', 'online', 'offline', 'locked'] as const) {
		t.is(stringWidth(unicodeSymbols[name]), 1, `unicode glyph ${name}`);
	}
});

test('language: settings win, else the locale; both catalogs have every key', t => {
	t.is(chooseLanguage('auto', {LANG: 'ja_JP.UTF-8'}), 'ja');
	t.is(chooseLanguage('auto', {LANG: 'en_US.UTF-8'}), 'en');
	t.is(chooseLanguage('en', {LANG: 'ja_JP.UTF-8'}), 'en');
	t.is(chooseLanguage('ja', {LANG: 'C'}), 'ja');
	t.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
	for (const [key, text] of Object.entries(en)) {
		const placeholders = (text.match(/{\w+}/g) ?? []).sort();
		t.deepEqual((ja[key as keyof typeof ja].match(/{\w+}/g) ?? []).sort(), placeholders, `placeholders of ${key}`);
	}

	t.is(translator('ja')('status.running', {count: 2}), '2 件実行中');
});

test('a row is cut to exactly its width, CJK counting double, with no broken character', t => {
	const parts = fit([{text: '診療記録'}, {text: '/referral-2026.txt'}], 7, '…');
	const text = parts.map(part => part.text).join('');
	t.is(stringWidth(text), 7);
	t.is(text, '診療記…');
	const odd = fit([{text: 'ab診療'}], 5, '…').map(part => part.text).join('');
	t.is(stringWidth(odd), 5);
	t.is(asciiOnly('RDX-A 診療 ✓'), 'RDX-A ?? ?');
	t.is(asciiOnly('29 °C · 280 files → ok…'), '29 C - 280 files -> ok...');
	t.is(fit([{text: '─'.repeat(100), clip: true}], 10, '…').map(part => part.text).join(''), '─'.repeat(10));
});

test('progress bars and percentages', t => {
	t.is(progressBar(0.5, 10, unicodeSymbols), '█████░░░░░');
	t.is(progressBar(2, 4, asciiSymbols), '####');
	t.is(progressBar(Number.NaN, 4, asciiSymbols), '....');
	t.is(percent(1, 3), ' 33%');
	t.is(percent(5, 0), '  ?%');
});

test('wrapping respects CJK width', t => {
	const lines = wrapText('患者の経過観察を継続します。 Then follow up in two weeks.', 12);
	t.true(lines.every(line => stringWidth(line) <= 12));
	t.is(lines.join('').replaceAll(' ', ''), '患者の経過観察を継続します。Thenfollowupintwoweeks.');
});
