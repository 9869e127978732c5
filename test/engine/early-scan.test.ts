import fs from 'node:fs';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import test from 'ava';
import {startScan} from '../../source/core/jobs/backup/scan.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** The walk started before the repositories open: what it said before anyone listened is told on attach. */
test('a scan started early keeps its warnings and totals for the listener that attaches after it ended', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(path.join(source, 'notes'), {recursive: true});
	fs.writeFileSync(path.join(source, 'notes', 'a.txt'), 'visit\n');
	execFileSync('mkfifo', [path.join(source, 'pipe')]);

	const scan = startScan([source], []);
	const walked = await scan.result;
	const warnings: string[] = [];
	const totals: Array<[number, number]> = [];
	scan.attach({
		warn(code) {
			warnings.push(code);
		},
		progress(files, bytes) {
			totals.push([files, bytes]);
		},
	});
	t.deepEqual(warnings, ['special-file']);
	t.deepEqual(walked.entries.map(entry => entry.path), ['clinic', 'clinic/notes', 'clinic/notes/a.txt']);
	t.is(walked.files, 1);
	// Progress is told only when the walk yielded; a tiny tree may end first: nothing, or the true count.
	t.true(totals.every(([files, bytes]) => files <= 1 && bytes <= 6));
});

test('a cancelled scan stops walking: its result is partial and nothing rejects', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	for (let i = 0; i < 50; i++) {
		fs.mkdirSync(path.join(source, `d${i}`), {recursive: true});
	}

	const scan = startScan([source], []);
	scan.cancel();
	const walked = await scan.result;
	// The source's own entry is made before the first folder is read; no folder below it is.
	t.deepEqual(walked.entries.map(entry => entry.path), ['clinic']);
});

test('a scan of a source that does not exist rejects with one sentence, also when nobody awaited it yet', async t => {
	const scan = startScan(['/nonexistent/sedai-source'], []);
	const error = await t.throwsAsync(scan.result);
	t.regex(error.message, /does not exist/);
});
