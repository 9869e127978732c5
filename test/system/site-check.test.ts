import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {runSiteCheck} from '../../source/system/site-check.js';
import {isRunning} from '../helpers/postgres.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

function restoredTree(t: {teardown: (fn: () => void) => void}): string {
	const root = temporaryDirectory('sedai-restored-');
	t.teardown(() => {
		removeTree(root);
	});
	fs.writeFileSync(path.join(root, 'karte.db'), 'data');
	return root;
}

test('a site check sees the restored folder in SEDAI_RESTORED and passes on exit 0', async t => {
	const root = restoredTree(t);
	const result = await runSiteCheck({name: 'karte present', command: 'test -s "$SEDAI_RESTORED/karte.db" && echo "found $SEDAI_RESTORED"', timeoutSeconds: 60}, root);
	t.like(result, {name: 'karte present', ok: true, exitCode: 0, timedOut: false, output: `found ${root}`});
});

test('a site check that exits non-zero fails with its exit code and last lines', async t => {
	const root = restoredTree(t);
	const result = await runSiteCheck({name: 'missing', command: 'seq 1 100; echo "no such table" >&2; exit 3', timeoutSeconds: 60}, root);
	t.like(result, {ok: false, exitCode: 3, timedOut: false});
	const lines = result.output.split('\n');
	t.is(lines.at(-1), 'no such table');
	t.true(lines.length <= 20);
	t.false(lines.includes('1'));
});

test('a site check past its time limit is stopped with its children and fails as timed out', async t => {
	const root = restoredTree(t);
	const pidFile = path.join(root, 'child.pid');
	const result = await runSiteCheck({name: 'hangs', command: `sleep 300 & echo $! > ${pidFile}; wait`, timeoutSeconds: 1}, root);
	t.like(result, {ok: false, timedOut: true});
	t.true(result.durationMs >= 1000);
	t.false(isRunning(Number(fs.readFileSync(pidFile, 'utf8'))), 'the command\'s own child is stopped too');
});

test('a site check without a time limit or command is refused with one sentence', async t => {
	const root = restoredTree(t);
	await t.throwsAsync(runSiteCheck({name: 'no limit', command: 'true', timeoutSeconds: 0}, root), {name: 'SedaiError', message: 'The drill check "no limit" needs a command and a time limit above 0 seconds: fix it under drill.checks in the settings.'});
	await t.throwsAsync(runSiteCheck({name: 'empty', command: ' ', timeoutSeconds: 5}, root), {name: 'SedaiError'});
});
