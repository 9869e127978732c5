import fs from 'node:fs';
import path from 'node:path';
import {createHash, randomBytes} from 'node:crypto';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runPrune} from '../../source/core/jobs/prune.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {listTombstones} from '../../source/core/repository/generations.js';
import {generationPath} from '../../source/core/repository/layout.js';
import {listPackIds} from '../../source/core/repository/pack.js';
import {defaultSettings} from '../../source/settings/schema.js';
import {SettingsStore} from '../../source/settings/store.js';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';
import {sparseExpected, sparseHistory} from './helpers/history.js';

process.env['SEDAI_HOME'] = temporaryDirectory('sedai-home-');

const passphrase = 'correct horse battery';

/** What month.txt holds in a given month: its own chunk, incompressible, different each month. */
const monthContents = new Map<string, Buffer>();
function monthContent(month: string): Buffer {
	let content = monthContents.get(month);
	if (!content) {
		content = randomBytes(12_000);
		monthContents.set(month, content);
	}

	return content;
}

async function generationCount(repository: Repository): Promise<number> {
	const {generations} = await repository.listGenerations();
	return generations.length;
}

test('prune on a real 400-day history keeps exactly what each rule says, removes the rest and their data, and verifies clean', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		fs.rmSync(work, {recursive: true, force: true});
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'stable.bin'), randomBytes(40_000));
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-A', passphrase});
	const times = sparseHistory();
	const months = new Map<string, string>();
	let month = '';
	for (const [i, time] of times.entries()) {
		// The month's notes change when the month does; a symlink makes every generation distinct.
		if (time.slice(0, 7) !== month) {
			month = time.slice(0, 7);
			fs.writeFileSync(path.join(source, 'month.txt'), monthContent(month));
		}

		fs.rmSync(path.join(source, 'day'), {force: true});
		fs.symlinkSync(`day-${i}`, path.join(source, 'day'));
		const {generation} = await runBackup(repository, {sources: [source], now: new Date(time), workers: 1});
		months.set(generation.id, month);
	}

	const before = await repository.listGenerations();
	t.is(before.generations.length, 69);
	const januaryId = createHash('sha256').update(monthContent('2025-01')).digest();
	const indexBefore = await repository.loadIndex();
	t.true(indexBefore.index.has(januaryId));
	const packsBefore = await listPackIds(repository.layout);

	// Dry run: the verdicts, and nothing touched.
	const policy = defaultSettings().retention;
	const dry = await runPrune(repository, {policy, dryRun: true, utcOffsetMinutes: 0});
	t.is(dry.kept, 20);
	t.is(dry.removed, 49);
	t.true(dry.bytesFreed > 0);
	t.is(await generationCount(repository), 69);
	t.deepEqual(await listPackIds(repository.layout), packsBefore);
	const noTombstones = await listTombstones(repository.layout);
	t.is(noTombstones.size, 0);

	const deleted: string[] = [];
	const result = await runPrune(repository, {policy, utcOffsetMinutes: 0, now: new Date('2026-02-05T09:00:00Z'), async beforeDelete(files) {
		deleted.push(...files);
	}});
	t.false(result.dryRun);
	const {generations: after} = await repository.listGenerations();
	t.deepEqual(after.map(generation => generation.time).sort(), Object.keys(sparseExpected).sort());
	for (const decision of result.decisions) {
		const expected = sparseExpected[decision.generation.time];
		t.is(decision.keep, expected !== undefined, `${decision.generation.time}`);
		t.deepEqual(decision.reasons.map(reason => reason.rule).sort(), [...expected ?? []].sort(), `${decision.generation.time}`);
	}

	// Tombstones for exactly the removed ones; write protection lifted only on what went.
	const tombstones = await listTombstones(repository.layout);
	t.is(tombstones.size, 49);
	t.true([...tombstones.values()].every(tombstone => tombstone.prunedAt === '2026-02-05T09:00:00.000Z'));
	const keptFiles = new Set(after.map(generation => generationPath(repository.layout, generation.id)));
	t.false(deleted.some(file => keptFiles.has(file)));
	t.is(deleted.filter(file => file.endsWith('.gen')).length, 49);
	for (const file of deleted) {
		t.false(fs.existsSync(file), `${file}`);
	}

	// The removed months' data is gone; the kept ones' is all there.
	const {index} = await repository.loadIndex();
	t.false(index.has(januaryId), 'January 2025 notes are only in removed generations');
	t.true(index.has(createHash('sha256').update(monthContent('2025-03')).digest()));
	t.true(result.packs.deleted + result.packs.repacked > 0);
	const packsAfter = await listPackIds(repository.layout);
	t.true(packsAfter.length < packsBefore.length);

	const verify = await runVerify(repository, {level: 'full', record: false});
	t.true(verify.ok, `${JSON.stringify(verify.problems)}`);
	t.is(verify.generations, 20);

	// The oldest and newest kept generations restore byte for byte.
	for (const generation of [after[0], after.at(-1)!]) {
		const into = path.join(work, `restore-${generation.shortId}`);
		const restored = await runRestore(repository, {generation: generation.id, into, workers: 1});
		t.is(restored.mismatches.length, 0);
		t.deepEqual(fs.readFileSync(path.join(into, 'clinic', 'month.txt')), monthContent(months.get(generation.id)!));
		t.deepEqual(fs.readFileSync(path.join(into, 'clinic', 'stable.bin')), fs.readFileSync(path.join(source, 'stable.bin')));
	}

	// Pruning again with the same policy changes nothing.
	const again = await runPrune(repository, {policy, utcOffsetMinutes: 0});
	t.is(again.removed, 0);
	t.is(again.packs.deleted, 0);
});

test('prune refuses a policy below the guideline, and stops before deleting when protection cannot be lifted', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		fs.rmSync(work, {recursive: true, force: true});
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-B'});
	for (let day = 0; day < 5; day++) {
		fs.writeFileSync(path.join(source, 'a.txt'), `day ${day}`);
		await runBackup(repository, {sources: [source], now: new Date(Date.UTC(2026, 0, 1 + day)), workers: 1});
	}

	await t.throwsAsync(runPrune(repository, {policy: {keepLast: 2, daily: 2, weekly: 0, monthly: 0, yearly: 0}}), {message: /ガイドライン.*at least 3 generations/s});
	t.is(await generationCount(repository), 5);

	// A hook that fails (protection cannot be lifted) stops prune before anything is deleted.
	await t.throwsAsync(runPrune(repository, {policy: {keepLast: 3, daily: 0, weekly: 0, monthly: 0, yearly: 0}, async beforeDelete() {
		throw new Error('cannot lift protection');
	}}), {message: /cannot lift protection/});
	t.is(await generationCount(repository), 5);
	const verify = await runVerify(repository, {record: false});
	t.true(verify.ok);
});

test('prune reads the sentinel verdicts sealed in the generations: the clean ones before an attack stay', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		fs.rmSync(work, {recursive: true, force: true});
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-C'});
	for (let day = 1; day <= 8; day++) {
		fs.writeFileSync(path.join(source, 'a.txt'), `day ${day}`);
		// From day 6 on the sentinel judged the backups suspect.
		const verdict = {suspect: day >= 6, reasons: day >= 6 ? ['renamed: 40% of the files were renamed'] : [], measures: {}};
		await runBackup(repository, {sources: [source], now: new Date(Date.UTC(2026, 0, day, 1)), workers: 1, sentinel: async () => verdict});
	}

	const result = await runPrune(repository, {policy: {keepLast: 3, daily: 3, weekly: 0, monthly: 0, yearly: 0}, utcOffsetMinutes: 0});
	const {generations} = await repository.listGenerations();
	t.deepEqual(generations.map(generation => generation.seq), [3, 4, 5, 6, 7, 8]);
	const rules = (seq: number) => result.decisions.find(decision => decision.generation.seq === seq)!.reasons.map(reason => reason.rule).sort();
	t.deepEqual(rules(5), ['clean-before-suspect', 'newest-clean']);
	t.deepEqual(rules(3), ['clean-before-suspect']);
	t.deepEqual(rules(8), ['daily', 'guideline-minimum', 'last']);
});

test('sedai prune uses the target\'s own retention when the settings give it one, else the site\'s', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	const nas = path.join(work, 'nas');
	fs.mkdirSync(source);
	t.is((await sedai(['init', nas, '--label', 'NAS', '--plaintext'], {home})).exitCode, 0);
	for (let run = 0; run < 5; run++) {
		fs.writeFileSync(path.join(source, 'a.txt'), `run ${run}`);
		const backup = await sedai(['backup', source, '--repo', nas, '--json'], {home});
		t.is(backup.exitCode, 0, backup.stderr);
	}

	// The site keeps the last 3 (all five are from today): two would go.
	const site = await sedai(['prune', '--repo', nas, '--dry-run', '--json'], {home});
	t.is(site.summary?.['removed'], 2, site.stdout);
	// The NAS target keeps its last 5: nothing would go.
	new SettingsStore(home).update({targets: [{name: 'NAS', kind: 'folder', path: nas, retention: {keepLast: 5, daily: 7, weekly: 4, monthly: 12, yearly: 0}}]});
	const own = await sedai(['prune', '--repo', nas, '--dry-run', '--json'], {home});
	t.is(own.summary?.['removed'], 0, own.stdout);
	t.is(own.summary?.['kept'], 5);
});
