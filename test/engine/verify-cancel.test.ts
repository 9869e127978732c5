import fs from 'node:fs';
import path from 'node:path';
import {setImmediate as nextTurn} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import type {JobEvent, Phase} from '../../source/core/jobs/events.js';
import {isSedaiError} from '../../source/core/errors.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/**
 * Cancelling a full verify through its signal, with real worker threads, is a normal outcome: one
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
	// More packs than one worker's two slots, so a cancel finds the coordinator still queueing.
	for (let i = 0; i < 20; i++) {
		writeRandomFile(path.join(source, 'db', `part-${i}.bin`), 4 * 1024 * 1024);
	}

	repository = await Repository.init(path.join(work, 'repo'), {label: 'RDX-V', passphrase: 'correct horse battery'});
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

for (const [when, accept, during] of [
	['as it starts reading packs', (event: JobEvent) => event.type === 'phase' && event.phase === 'read', 'read'],
	['after the first pack', (event: JobEvent) => event.type === 'progress' && event.phase === 'read' && event.filesDone > 0, 'read'],
] as const) {
	test.serial(`full verify cancelled ${when}: one 'cancelled' error, no unhandled rejection, no lock, clean repository`, async t => {
		await assertCancelled(t, runVerify(repository, {level: 'full', workers: 1, record: false, ...abortWhen(accept, during)}));
	});
}
