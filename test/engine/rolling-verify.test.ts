import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import test from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runVerify, type VerifyResult} from '../../source/core/jobs/verify.js';
import {evidenceOf} from '../../source/core/jobs/verify/evidence.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';
import {flipFileByte, repositoryFiles} from '../helpers/damage.js';

const passphrase = 'rolling verify passphrase';

async function repositoryWithPacks(t: {teardown: (fn: () => void) => void}): Promise<{repository: Repository; packs: string[]}> {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	const repository = await Repository.init(path.join(work, 'repo'), {label: 'ROLL', passphrase});
	// Each backup writes a data pack and a tree pack: six backups, twelve packs of mixed sizes.
	for (let day = 0; day < 6; day++) {
		fs.writeFileSync(path.join(source, `scan-${day}.bin`), randomBytes(40_000 + (day * 10_000)));

		await runBackup(repository, {sources: [source]});
	}

	const packs = repositoryFiles(repository.root, 'data').map(file => path.basename(file)).sort();
	return {repository, packs};
}

/** Slices until one completes the cycle (bounded, so a cursor that never moves fails the test). */
async function cycle(repository: Repository, fraction: number): Promise<VerifyResult[]> {
	const runs: VerifyResult[] = [];
	for (let run = 0; run < 50; run++) {
		const result = await runVerify(repository, {level: 'full', slice: {fraction}});
		runs.push(result);
		if (result.slice?.cycleComplete) {
			return runs;
		}
	}

	throw new Error('the rolling verification never completed a cycle');
}

function readBy(runs: VerifyResult[], packs: string[]): Map<string, number[]> {
	const readers = new Map(packs.map(pack => [pack, [] as number[]]));
	for (const [run, result] of runs.entries()) {
		const {after, through} = result.slice!;
		for (const pack of packs) {
			if ((after === undefined || pack > after) && through !== undefined && pack <= through) {
				readers.get(pack)!.push(run);
			}
		}
	}

	return readers;
}

test('a rolling verification reads every pack exactly once over a cycle, and only a completed cycle counts as a full read', async t => {
	const {repository, packs} = await repositoryWithPacks(t);
	t.true(packs.length >= 10, `${packs.length} packs`);
	const runs = await cycle(repository, 0.25);
	t.true(runs.length >= 2 && runs.length <= 4, `${runs.length} runs of a quarter each`);
	for (const [pack, readers] of readBy(runs, packs)) {
		t.is(readers.length, 1, `pack ${pack} read by runs ${readers.join(', ')}`);
	}

	t.is(runs.reduce((sum, run) => sum + run.slice!.packs, 0), packs.length);
	t.true(runs.every(run => run.ok));
	const evidence = runs.map(run => evidenceOf(run));
	t.deepEqual(evidence.slice(0, -1).map(item => item.level), runs.slice(0, -1).map(() => 'slice'), 'a slice is not a full verification');
	t.is(evidence.at(-1)!.level, 'full');
	t.is(evidence.at(-1)!.time, runs[0].time, 'the cycle is as old as its first slice');
	const covered = runs.map(run => run.slice!.covered);
	t.deepEqual(covered, [...covered].sort((a, b) => a - b), 'coverage only grows within a cycle');
	t.is(covered.at(-1), 1);

	const next = await runVerify(repository, {level: 'full', slice: {fraction: 0.25}});
	t.is(next.slice!.after, undefined, 'a new cycle starts at the first pack');
	t.is(next.slice!.cycleStarted, next.time);
});

test('a flipped bit is found by the slice that holds its pack, and fails the cycle', async t => {
	const {repository, packs} = await repositoryWithPacks(t);
	const sizes = packs.map(pack => fs.statSync(repositoryFiles(repository.root, 'data').find(file => file.endsWith(pack))!).size);
	// The largest pack holds scan data; flip a byte in the middle of it.
	const target = packs[sizes.indexOf(Math.max(...sizes))];
	flipFileByte(repositoryFiles(repository.root, 'data').find(file => file.endsWith(target))!, Math.floor(Math.max(...sizes) / 2));
	const runs = await cycle(repository, 0.2);
	const [readers] = [readBy(runs, packs).get(target)!];
	t.is(readers.length, 1);
	for (const [run, result] of runs.entries()) {
		t.is(result.ok, run !== readers[0], `run ${run} ${result.ok ? 'clean' : 'found damage'}`);
	}

	const damaged = runs[readers[0]];
	t.true(damaged.problems.some(problem => problem.pack === target));
	t.is(evidenceOf(damaged).level, 'full', 'damage found by a slice counts at once');
	t.false(evidenceOf(damaged).ok);
	const last = runs.at(-1)!;
	t.true(last.slice!.cycleProblems > 0);
	t.false(evidenceOf(last).ok, 'the completed cycle carries the damage one of its slices found');
});

test('a time budget reads at least one pack and then stops; the next run goes on after it', async t => {
	const {repository, packs} = await repositoryWithPacks(t);
	const first = await runVerify(repository, {level: 'full', slice: {maxMs: 1}});
	t.is(first.slice!.packs, 1, 'the budget ran out after the first pack');
	t.is(first.slice!.through, packs[0]);
	const second = await runVerify(repository, {level: 'full', slice: {maxMs: 1}});
	t.is(second.slice!.after, packs[0]);
	t.is(second.slice!.through, packs[1]);
});
