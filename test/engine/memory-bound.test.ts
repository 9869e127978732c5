import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * Issue 13: peak memory of a 200,000-file backup and restore, measured from outside the process:
 * 341 MB for the first backup, 292 MB for a no-change one and 337 MB for the restore here
 * (2026-12-07; 508, 387 and 577 MB before the read queue was made as it goes, pack records
 * kept packed, folder trees built one folder at a time and a restored file's chunk places laid
 * out when needed instead of kept; the no-change figure fell from 314–361 when change detection
 * began to collect its garbage as it goes). The goal, ~100 bytes per file, needs the walk
 * and the restore to stream folder by folder; these bounds catch a regression.
 */
const files = 200_000;
const firstBoundMb = 400;
const noChangeBoundMb = 350;
const restoreBoundMb = 450;
const preload = fileURLToPath(new URL('../helpers/max-rss.mjs', import.meta.url));

/** 100 files of 1–4 KB per folder, each unique. */
function writeTree(root: string): void {
	for (let n = 0; n < files; n++) {
		const folder = path.join(root, `d${Math.floor(n / 10_000)}`, `s${Math.floor(n / 100) % 100}`);
		if (n % 100 === 0) {
			fs.mkdirSync(folder, {recursive: true});
		}

		fs.writeFileSync(path.join(folder, `f${n}.txt`), `record ${n} `.padEnd(1024 + ((n * 2654) % 3072), `note ${n} `));
	}
}

function scratchFolder(): string {
	return fs.existsSync('/dev/shm') ? fs.mkdtempSync(path.join('/dev/shm', 'sedai-rss-')) : temporaryDirectory();
}

test.serial('a 200,000-file backup and its restore stay under their memory bounds (first, no-change, restore), measured from the child process', async t => {
	const work = scratchFolder();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'scans');
	writeTree(source);
	const home = path.join(work, 'home');
	const repo = path.join(work, 'repo');
	t.is((await sedai(['init', repo, '--label', 'RSS'], {home})).exitCode, 0);

	const peakMb = async (args: string[]) => {
		const report = path.join(work, 'max-rss');
		const result = await sedai([...args, '--repo', repo, '--json'], {home, env: {NODE_OPTIONS: `--import=${preload}`, SEDAI_TEST_MAX_RSS_FILE: report}});
		t.is(result.exitCode, 0, result.stderr);
		t.is(result.summary?.['files'], files);
		return Number(fs.readFileSync(report, 'utf8')) / 1024;
	};

	const first = await peakMb(['backup', source]);
	t.true(first < firstBoundMb, `the first backup of ${files} files peaked at ${Math.round(first)} MB (bound ${firstBoundMb} MB)`);
	const noChange = await peakMb(['backup', source]);
	t.true(noChange < noChangeBoundMb, `a no-change backup of ${files} files peaked at ${Math.round(noChange)} MB (bound ${noChangeBoundMb} MB)`);
	const restored = await peakMb(['restore', 'latest', '--into', path.join(work, 'restored')]);
	t.true(restored < restoreBoundMb, `the restore of ${files} files peaked at ${Math.round(restored)} MB (bound ${restoreBoundMb} MB)`);
	t.log(`peak RSS: first ${Math.round(first)} MB, no-change ${Math.round(noChange)} MB, restore ${Math.round(restored)} MB`);
});
