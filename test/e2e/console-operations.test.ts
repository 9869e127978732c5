import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {demoPassphrase} from '../../source/demo/world.js';
import {JournalReader} from '../../source/settings/job-journal-reader.js';
import {outcomeOf} from '../../source/monitor/job-outcome.js';
import {generationPath, layoutOf} from '../../source/core/repository/layout.js';
import {sedai} from '../helpers/cli.js';
import {removeTree} from '../helpers/trees.js';
import {startTerminal, type Terminal} from '../helpers/tmux.js';

/**
 * The console runs the same operations as the CLI (issue 8): in the real `sedai demo` at 80×24,
 * a backup of an attacked clinic tree started by keys is sealed SUSPECT with reasons, made
 * immutable, and journalled for `sedai monitor`; a backup and a full verify cancelled by keys
 * end as "cancelled" while the console keeps running, the medium verifies clean, the next backup
 * reuses what the cancelled one wrote, and q quits with exit code 0.
 */
const root = path.resolve(import.meta.dirname, '../..');
let terminal: Terminal | undefined;
let demo: string;

test.before(async () => {
	await fs.access(path.join(root, 'dist', 'cli.js'));
	demo = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-ops-'));
});

test.after.always(() => {
	terminal?.kill();
	if (demo) {
		removeTree(demo);
	}
});

async function files(folder: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await fs.readdir(folder, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) {
			found.push(path.join(entry.parentPath, entry.name));
		}
	}

	return found.sort();
}

/** What ransomware does: 40% of the files replaced by random bytes and renamed. */
async function attack(clinic: string): Promise<number> {
	const all = await files(clinic);
	const victims = all.filter((_file, index) => index % 5 < 2);
	for (const file of victims) {
		const {size} = await fs.stat(file);
		await fs.writeFile(file, randomBytes(Math.max(size, 64)));
		await fs.rename(file, `${file}.locked`);
	}

	return victims.length;
}

const rdxA = () => path.join(demo, 'bays', 'RDX-A', 'media', 'sedai');
const nas = () => path.join(demo, 'nas', 'sedai');

async function newest(root = rdxA()): Promise<Awaited<ReturnType<Repository['listGenerations']>>['generations'][number]> {
	const repository = await Repository.open(root, demoPassphrase);
	return (await repository.listGenerations()).generations.at(-1)!;
}

/** Focus the bottom panel (Tab cycles focus) and cancel its selected running job. */
async function cancelRunning(term: Terminal, title: RegExp): Promise<string> {
	for (let tries = 0; tries < 5 && !term.screen().includes('c cancel job'); tries++) {
		await term.keys('Tab');
	}

	await term.keys('c');
	await term.waitFor(/Cancel this job\?/);
	await term.keys('y');
	return term.waitFor(new RegExp(String.raw`cancelled\s+${title.source}`), 120_000);
}

/** Wait until the running job's bar shows at least `share` percent done. */
async function waitForProgress(term: Terminal, title: string, share: number): Promise<void> {
	const pattern = new RegExp(String.raw`running\s+${title}\s+\S*\s*(\d+)%`);
	await term.waitFor({test: text => Number(pattern.exec(text)?.[1] ?? -1) >= share}, 180_000);
}

test.serial('console: SUSPECT backup, cancelled backup and full verify, clean medium, exit 0', async t => {
	const status = path.join(demo, 'exit-status');
	const command = `cd ${root} && env CI=false LANG=C.UTF-8 TERM=xterm-256color SEDAI_DEMO_DIR=${demo} node dist/cli.js demo; echo $? > ${status}; sleep 600`;
	terminal = startTerminal(`sedai-ops-${process.pid}`, command);
	const term = terminal;
	await term.waitFor(/Sakura Clinic[^\n]*● (?:RDX-A|\d)/, 180_000);
	const clinic = path.join(demo, 'clinic');
	const attacked = await attack(clinic);

	// One backup job to RDX-A and NAS (rows: source, RDX-A, RDX-B, RDX-C, NAS): the sentinel runs.
	await term.keys('2');
	await term.waitFor(/\[Backup]/);
	await term.keys('Down', 'Down', 'Down', 'Space');
	await term.waitFor(/back up 1 source to RDX-A, NAS\s*$/m);
	await term.keys('b');
	await term.waitFor(/Backup sealed on 2 of 2 but SUSPECT/, 180_000);
	for (const root of [rdxA(), nas()]) {
		const suspect = await newest(root);
		t.true(suspect.sentinel?.suspect, `${attacked} files attacked`);
		t.true((suspect.sentinel?.reasons.length ?? 0) > 0);
	}

	// Sealed files are immutable where the filesystem allows: the NAS folder is on ext4 here (CI
	// runs as root), the demo's cartridges play exFAT, which has no immutable flag: read-only.
	// Not root (a developer's machine): chattr +i is not possible, and CI (root) must check it.
	const asRoot = process.getuid?.() === 0;
	t.true(asRoot || process.env['CI'] !== 'true', 'CI runs as root: immutability must be checked');
	const attributes = asRoot ? execFileSync('lsattr', ['-d', generationPath(layoutOf(nas()), (await newest(nas())).id)], {encoding: 'utf8'}).split(' ')[0] : 'i (not root)';
	t.true(attributes.includes('i'), attributes);

	const onCartridge = await fs.stat(generationPath(layoutOf(rdxA()), (await newest()).id));
	t.is(onCartridge.mode & 0o222, 0, 'read-only on the cartridge');

	// `sedai monitor` reads this journal: the console's job, with its typed result.
	const tracks = new JournalReader(path.join(demo, 'home', 'jobs')).poll();
	const journalled = tracks.find(track => track.start.kind === 'backup' && track.start.label === 'RDX-A, NAS' && track.status === 'done');
	t.truthy(journalled, tracks.map(track => `${track.start.kind} ${track.start.label} ${track.status}`).join('; '));
	t.regex(outcomeOf('backup', journalled?.end?.result) ?? '', /SUSPECT/);

	// A big file makes the next backup long enough to cancel half-way (the sources are read once
	// for both targets, so it must be big: 1.5 GiB, written in pieces to keep memory flat).
	const big = 1536 * 1024 * 1024;
	const archive = await fs.open(path.join(clinic, 'imaging-archive.bin'), 'w');
	for (let written = 0; written < big; written += 64 * 1024 * 1024) {
		await archive.write(randomBytes(64 * 1024 * 1024));
	}

	await archive.close();
	const before = (await newest()).seq;
	const nasBefore = (await newest(nas())).seq;
	await term.keys('b');
	await waitForProgress(term, 'Backup RDX-A, NAS', 20);
	await cancelRunning(term, /Backup RDX-A, NAS/);
	t.is((await newest()).seq, before, 'a cancelled backup seals nothing');

	// The console is still there: back up again; what the cancelled run wrote is reused.
	await term.keys('2');
	await term.waitFor(/\[Backup]/);
	await term.keys('b');
	await term.waitFor(new RegExp(`NAS #${nasBefore + 1} sealed`), 240_000);
	t.is((await newest()).seq, before + 1);
	const after = await newest();
	// Cancelled at 20% or later: at least the packs written by then are not written again.
	t.true(after.totals.storedBytes < big * 0.95, `stored ${after.totals.storedBytes} of ${big}`);

	// A full verify, cancelled half-way, also ends as cancelled.
	await term.keys('5');
	await term.waitFor(/\[Verify]/);
	await term.keys('l');
	await term.waitFor(/\(•\) full/);
	await term.keys('v');
	await waitForProgress(term, 'Verify RDX-A full', 5);
	await cancelRunning(term, /Verify RDX-A full/);

	// The medium verifies clean from the CLI, and q quits with exit code 0.
	const verify = await sedai(['verify', '--repo', rdxA(), '--full', '--json'], {home: path.join(demo, 'home'), passphrase: demoPassphrase});
	t.is(verify.exitCode, 0, verify.stdout);
	await term.keys('q');
	await term.waitFor(/Quit Sedai\?/);
	await term.keys('y');
	await term.waitFor({test: () => existsSync(status)}, 30_000);
	t.is((await fs.readFile(status, 'utf8')).trim(), '0');
});
