import fs from 'node:fs';
import path from 'node:path';
import {setImmediate as nextTurn} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import type {JobEvent, Phase} from '../../source/core/jobs/events.js';
import {isSedaiError} from '../../source/core/errors.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/**
 * Cancelling a restore through its signal, with real worker threads, is a normal outcome: one
 * SedaiError('cancelled'), no unhandled rejection, no lock left, the repository still clean.
 */
const work = temporaryDirectory();
let repository: Repository;
const unhandled: unknown[] = [];
process.on('unhandledRejection', reason => {
	unhandled.push(reason);
});

test.before(async () => {
	const source = path.join(work, 'clinic');
	// More tasks than one worker's two slots, so a cancel finds the coordinator still queueing.
	for (let i = 0; i < 16; i++) {
		writeRandomFile(path.join(source, 'db', `part-${i}.bin`), 3 * 1024 * 1024);
	}

	repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-C', passphrase: 'correct horse battery'});
	await runBackup(repository, {sources: [source], workers: 2});
});

test.after.always(() => {
	removeTree(work);
});

/** Aborts at the first event `when` accepts, else at the first phase after `during`: always before the end. */
function abortWhen(when: (event: JobEvent) => boolean, during: Phase) {
	const controller = new AbortController();
	let inside = false;
	const onEvent = (event: JobEvent) => {
		if (controller.signal.aborted) {
			return;
		}

		if (when(event) || (inside && event.type === 'phase' && event.phase !== during)) {
			controller.abort();
		} else if (event.type === 'phase' && event.phase === during) {
			inside = true;
		}
	};

	return {signal: controller.signal, onEvent, progressIntervalMs: 5};
}

async function assertCancelled(t: ExecutionContext, job: Promise<unknown>) {
	const error = await t.throwsAsync(job);
	t.true(isSedaiError(error), String(error));
	t.is((error as {code?: string}).code, 'cancelled');
	await nextTurn();
	await nextTurn();
	t.deepEqual(unhandled, [], 'no unhandled rejection');
	t.deepEqual(fs.readdirSync(repository.layout.locks), [], 'no lock left behind');
	const after = await runVerify(repository, {record: false});
	t.true(after.ok, JSON.stringify(after.problems));
}

const cases: Array<[string, (event: JobEvent) => boolean, Phase]> = [
	['as it opens the generation', event => event.type === 'phase' && event.phase === 'open', 'open'],
	['as the workers start', event => event.type === 'phase' && event.phase === 'restore', 'restore'],
	['while files are being written', event => event.type === 'progress' && event.phase === 'restore' && event.bytesDone > 0, 'restore'],
	['while files are read back', event => event.type === 'progress' && event.phase === 'verify' && event.bytesDone > 0, 'verify'],
];

for (const [when, accept, during] of cases) {
	test.serial(`restore cancelled ${when}: one 'cancelled' error, no unhandled rejection, no lock, clean repository`, async t => {
		const into = path.join(work, `out-${when.replaceAll(' ', '-')}`);
		await assertCancelled(t, runRestore(repository, {generation: 'latest', into, workers: 1, ...abortWhen(accept, during)}));
	});
}
