import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {SettingsStore} from '../../source/settings/store.js';
import {StateStore} from '../../source/settings/state.js';
import {sedai} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/trees.js';
import {removeProtected} from '../policy/helpers/cleanup.js';

const dayMs = 24 * 60 * 60 * 1000;

function targetsOf(lines: Array<Record<string, unknown>>): Map<unknown, Record<string, unknown>> {
	// Each target as it ended (its last line).
	return new Map(lines.filter(line => line['type'] === 'target' && line['name']).map(line => [line['name'], line]));
}

test('an ejected cartridge that is not due is a skip (exit 0); the due cartridge out for more than rotationOverdueDays fails the run, naming it', async t => {
	const work = temporaryDirectory();
	t.teardown(async () => removeProtected(work));
	const home = path.join(work, 'home');
	const clinic = path.join(work, 'clinic');
	fs.mkdirSync(clinic);
	fs.writeFileSync(path.join(clinic, 'karte.txt'), '受診記録\n');
	const rdxA = path.join(work, 'bay', 'rdx-a');
	const rdxB = path.join(work, 'bay', 'rdx-b');
	const nas = path.join(work, 'nas');
	for (const [root, label] of [[rdxA, 'RDX-A'], [rdxB, 'RDX-B'], [nas, 'NAS']] as const) {
		t.is((await sedai(['init', root, '--label', label, '--plaintext'], {home})).exitCode, 0);
		t.is((await sedai(['generations', '--repo', root], {home})).exitCode, 0);
	}

	const settings = new SettingsStore(home);
	settings.update({
		sources: [clinic],
		targets: [{name: 'RDX-A', kind: 'cartridge', label: 'RDX-A'}, {name: 'RDX-B', kind: 'cartridge', label: 'RDX-B'}, {name: 'NAS', kind: 'folder', path: nas}],
		plans: [{name: 'nightly', targets: ['RDX-A', 'RDX-B', 'NAS']}],
		rotation: ['RDX-A', 'RDX-B'],
	});
	const first = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(first.exitCode, 0, first.stdout + first.stderr);
	t.is((first.summary?.['rotation'] as {due?: string}).due, 'RDX-B');

	// RDX-A (just written, not due) goes to the shelf and stays there 20 days: a skip.
	const state = new StateStore(home);
	fs.renameSync(rdxA, path.join(work, 'shelf-rdx-a'));
	const idA = state.findByLabel('RDX-A')!.id;
	state.markOffline(idA, 'ejected', new Date(Date.now() - (20 * dayMs)));
	const skipped = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(skipped.exitCode, 0, skipped.stdout + skipped.stderr);
	t.deepEqual(skipped.summary?.['sealed'], ['RDX-B', 'NAS']);
	t.deepEqual(skipped.summary?.['offline'], ['RDX-A']);
	t.is(targetsOf(skipped.lines).get('RDX-A')?.['status'], 'offline');
	t.is(targetsOf(skipped.lines).get('RDX-A')?.['message'], 'skipped: RDX-A offline (rotation)');

	// Now RDX-A is due, and it has been out for 20 days: over the default 14, the run fails.
	const overdue = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(overdue.exitCode, 1, overdue.stdout + overdue.stderr);
	const sentence = 'Rotation overdue: RDX-A is due but has not been inserted for 20 days, 6 day(s) past the limit of 14: insert RDX-A and run the plan "nightly" again.';
	t.is((overdue.summary?.['rotation'] as {overdue?: string}).overdue, sentence);
	t.false(overdue.summary?.['ok']);
	// The others still got tonight's generation; the run fails so that someone inserts the cartridge.
	t.deepEqual(overdue.summary?.['sealed'], ['RDX-B', 'NAS']);
	// `sedai status` (monitoring, alerts) says the same sentence.
	const status = await sedai(['status', '--json'], {home});
	t.not(status.exitCode, 0);
	t.deepEqual((status.summary?.['plans'] as Array<{failures: string[]}>)[0].failures, [sentence]);
	const human = await sedai(['backup', '--plan', 'nightly'], {home});
	t.is(human.exitCode, 1);
	t.true(human.stdout.includes(sentence), human.stdout);
	t.regex(human.stdout, /^skipped: RDX-A offline \(rotation\)\.$/m);

	// The limit is the site's: at 30 days the same shelf time is fine.
	settings.update({compliance: {...settings.get().compliance, rotationOverdueDays: 30}});
	const relaxed = await sedai(['backup', '--plan', 'nightly', '--json'], {home});
	t.is(relaxed.exitCode, 0, relaxed.stdout + relaxed.stderr);
	t.is((relaxed.summary?.['rotation'] as {overdue?: string}).overdue, undefined);
});
