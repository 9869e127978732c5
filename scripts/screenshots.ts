/**
 * Screenshots of the real app for readme.md: runs `sedai demo` in tmux at 80×24, drives it with
 * keys, captures each main view with its colours (`capture-pane -e`), replays the capture into
 * a headless xterm and writes the screen as an SVG in media/. Run: npx tsx scripts/screenshots.ts
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import xterm from '@xterm/headless';

const root = path.resolve(import.meta.dirname, '..');
const media = path.join(root, 'media');
const columns = 80;
const rows = 24;
const session = `sedai-shots-${process.pid}`;

const palette = ['#1e1e1e', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#e5e5e5', '#7f7f7f', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
const background = '#1e1e1e';
const foreground = '#d4d4d4';

function tmux(...args: string[]): string {
	return execFileSync('tmux', args, {encoding: 'utf8'});
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

async function waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<void> {
	const started = Date.now();
	while (!pattern.test(tmux('capture-pane', '-p', '-t', session))) {
		if (Date.now() - started > timeoutMs) {
			throw new Error(`screenshots: timed out waiting for ${String(pattern)}`);
		}

		await sleep(200);
	}
}

async function keys(...sequence: string[]): Promise<void> {
	for (const key of sequence) {
		tmux('send-keys', '-t', session, key);
		await sleep(150);
	}
}

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function color(cell: xterm.IBufferCell, which: 'fg' | 'bg'): string | undefined {
	const isDefault = which === 'fg' ? cell.isFgDefault() : cell.isBgDefault();
	if (isDefault) {
		return undefined;
	}

	const value = which === 'fg' ? cell.getFgColor() : cell.getBgColor();
	const isPalette = which === 'fg' ? cell.isFgPalette() : cell.isBgPalette();
	if (isPalette) {
		return palette[value] ?? undefined;
	}

	return `#${value.toString(16).padStart(6, '0')}`;
}

/** Replay captured ANSI into a headless terminal and draw its cells as SVG text runs. */
async function toSvg(ansi: string): Promise<string> {
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
	await new Promise<void>(resolve => {
		terminal.write(ansi.replaceAll('\n', '\r\n'), resolve);
	});
	const cellWidth = 8.4;
	const cellHeight = 17;
	const parts: string[] = [];
	const buffer = terminal.buffer.active;
	for (let y = 0; y < rows; y++) {
		const line = buffer.getLine(y);
		if (!line) {
			continue;
		}

		for (let x = 0; x < columns; x++) {
			const cell = line.getCell(x);
			if (!cell || cell.getWidth() === 0) {
				continue;
			}

			let fg = color(cell, 'fg') ?? foreground;
			let bg = color(cell, 'bg');
			if (cell.isInverse()) {
				[fg, bg] = [bg ?? background, fg];
			}

			const width = cell.getWidth() * cellWidth;
			if (bg) {
				parts.push(`<rect x="${(x * cellWidth).toFixed(1)}" y="${y * cellHeight}" width="${width.toFixed(1)}" height="${cellHeight}" fill="${bg}"/>`);
			}

			const chars = cell.getChars();
			if (chars && chars !== ' ') {
				const weight = cell.isBold() ? ' font-weight="bold"' : '';
				parts.push(`<text x="${(x * cellWidth).toFixed(1)}" y="${(y * cellHeight) + 13}" fill="${fg}"${weight}>${escapeXml(chars)}</text>`);
			}
		}
	}

	terminal.dispose();
	const width = Math.ceil(columns * cellWidth) + 16;
	const height = (rows * cellHeight) + 16;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="'DejaVu Sans Mono', Menlo, Consolas, 'Noto Sans Mono CJK JP', monospace" font-size="14">`,
		`<rect width="100%" height="100%" rx="6" fill="${background}"/>`,
		'<g transform="translate(8 8)">',
		...parts,
		'</g>',
		'</svg>',
	].join('\n');
}

async function shot(name: string): Promise<void> {
	const ansi = tmux('capture-pane', '-e', '-p', '-t', session);
	await fs.writeFile(path.join(media, `${name}.svg`), await toSvg(ansi));
	process.stdout.write(`media/${name}.svg\n`);
}

async function main(): Promise<void> {
	await fs.mkdir(media, {recursive: true});
	const demo = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-shots-'));
	const start = (language: string) => {
		const command = `cd ${root} && env CI=false LANG=${language} TERM=xterm-256color SEDAI_DEMO_DIR=${demo} node dist/cli.js demo; sleep 600`;
		tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command);
	};

	try {
		start('C.UTF-8');
		await waitFor(/Sakura Clinic \(demo\).*● RDX-A/);
		await sleep(1500);
		await shot('drives');
		await keys('2');
		await waitFor(/\[Backup]/);
		await keys('b');
		await waitFor(/running\s+Backup/);
		await sleep(400);
		await shot('backup');
		await waitFor(/NAS #\d+ sealed/);
		await keys('3');
		await waitFor(/\[Generations]/);
		await shot('generations');
		await keys('/', 'R', 'D', 'X', '-', 'C', 'Enter', 'd');
		await waitFor(/diff RDX-C/);
		await shot('diff');
		await keys('q', 'Escape', 'Enter');
		await waitFor(/files]/);
		await keys('Enter', 'Down', 'Enter');
		await sleep(500);
		await shot('browse');
		await keys('q', '5', 'l', 'v');
		await waitFor(/no problems/);
		await shot('verify');
		await keys('4');
		await waitFor(/\[Restore]/);
		await keys('r');
		await waitFor(/all match byte for byte/);
		await shot('restore');
		await keys(':', 'v', 'e', 'r');
		await sleep(500);
		await shot('palette');
		await keys('Escape', '7');
		await waitFor(/\[Drills]/);
		await shot('drills');
		await keys('6');
		await waitFor(/checks (fail|pass)/);
		await keys('g', 'j', 'j', 'j', 'j');
		await sleep(500);
		await shot('compliance');
		await keys('3', 't');
		await waitFor(/grouped by tier/);
		await keys('G');
		await sleep(500);
		await shot('generations-tiers');
		tmux('kill-session', '-t', session);
		start('ja_JP.UTF-8');
		await waitFor(/Sakura Clinic \(demo\).*● RDX-A/);
		await keys('3');
		await sleep(1000);
		await shot('generations-ja');
	} finally {
		try {
			tmux('kill-session', '-t', session);
		} catch {
			// Already gone.
		}

		try {
			// Sealed generations may be immutable (chattr +i) where the filesystem allows it.
			execFileSync('chattr', ['-R', '-i', demo], {stdio: 'ignore'});
		} catch {
			// Not Linux ext4/xfs, or no chattr: plain read-only files remove fine.
		}

		await fs.rm(demo, {recursive: true, force: true});
	}
}

await main();
