import fs from 'node:fs';
import path from 'node:path';
import {setImmediate as nextTurn} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runRestore} from '../../source/core/jobs/restore.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import type {JobEvent} from '../../source/core/jobs/events.js';
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
	writeRandomFile(path.join(source, 'db', 'dump.bin'), 40 * 1024 * 1024);
	for (let i = 0; i < 40; i++) {
		writeRandomFile(path.join(source, 'scans', `scan-${i}.jpg`), 200_000);
	}

	repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-C', passphrase: 'correct horse battery'});
	await runBackup(repository, {sources: [source], workers: 2});
});

test.after.always(() => {
	removeTree(work);
});

/** Aborts at the first event `when` accepts, or at the next phase after it, so it always lands before the end. */
function abortWhen(when: (event: JobEvent) => boolean, fallbackPhase: string) {
	const controller = new AbortController();
	const onEvent = (event: JobEvent) => {
		if (!controller.signal.aborted && (when(event) || (event.type === 'phase' && event.phase === fallbackPhase))) {
			controller.abort();
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

const cases: Array<[string, (event: JobEvent) => boolean, string]> = [
	['as it opens the generation', event => event.type === 'phase' && event.phase === 'open', 'restore'],
	['as the workers start', event => event.type === 'phase' && event.phase === 'restore', 'verify'],
	['while files are being written', event => event.type === 'progress' && event.phase === 'restore' && event.bytesDone > 0, 'verify'],
	['while files are read back', event => event.type === 'progress' && event.phase === 'verify' && event.bytesDone > 0, 'never'],
];

for (const [when, accept, fallback] of cases) {
	test.serial(`restore cancelled ${when}: one 'cancelled' error, no unhandled rejection, no lock, clean repository`, async t => {
		const into = path.join(work, `out-${when.replaceAll(' ', '-')}`);
		await assertCancelled(t, runRestore(repository, {generation: 'latest', into, workers: 2, ...abortWhen(accept, fallback)}));
	});
}
