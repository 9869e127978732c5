import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {Repository} from '../../source/core/repository/repository.js';
import {runBackup} from '../../source/core/jobs/backup.js';
import {runVerify} from '../../source/core/jobs/verify.js';
import type {JobEvent} from '../../source/core/jobs/events.js';
import {isSedaiError} from '../../source/core/errors.js';
import {removeTree, temporaryDirectory, writeRandomFile} from '../helpers/trees.js';

/** Issue 8 item 4: cancelling is a normal outcome, never an uncaught rejection. */
let unhandled = 0;
process.on('unhandledRejection', () => {
	unhandled++;
});

const megabyte = 1024 * 1024;
const dataBytes = 72 * megabyte;

function packFiles(repository: string): string[] {
	const data = path.join(repository, 'data');
	return fs.readdirSync(data).flatMap(folder => fs.readdirSync(path.join(data, folder)));
}

/** `when` decides from each event (and the repository folder) when to pull the plug. */
async function cancelledBackup(t: {teardown: (fn: () => void) => void}, when: (event: JobEvent, root: string) => boolean) {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const source = path.join(work, 'clinic');
	// Big random files (chunked, incompressible) and many small ones.
	for (let i = 0; i < 6; i++) {
		writeRandomFile(path.join(source, 'scans', `scan-${i}.bin`), 12 * megabyte);
	}

	for (let i = 0; i < 200; i++) {
		fs.mkdirSync(path.join(source, 'notes'), {recursive: true});
		fs.writeFileSync(path.join(source, 'notes', `note-${i}.txt`), `patient ${i}\n`.repeat(50));
	}

	const root = path.join(work, 'repo');
	const repository = await Repository.init(root, {label: 'CANCEL', passphrase: 'pw'});
	const controller = new AbortController();
	const error = await runBackup(repository, {
		sources: [source],
		workers: 2,
		signal: controller.signal,
		progressIntervalMs: 5,
		onEvent(event) {
			if (!controller.signal.aborted && when(event, root)) {
				controller.abort();
			}
		},
	}).then(() => undefined, (error: unknown) => error);
	// Let any stray rejection surface before counting.
	await new Promise(resolve => {
		setTimeout(resolve, 200);
	});
	return {work, source, root, repository, error};
}

async function assertCleanAfterCancel(t: ExecutionContext, run: Awaited<ReturnType<typeof cancelledBackup>>, expectReuse: boolean) {
	t.true(isSedaiError(run.error), String(run.error));
	t.is((run.error as {code?: string}).code, 'cancelled');
	t.is(unhandled, 0, 'no unhandled rejection');
	t.deepEqual(fs.readdirSync(path.join(run.root, 'locks')), [], 'the lock was released');
	t.deepEqual(fs.readdirSync(path.join(run.root, 'tmp')), [], 'no half-written pack left');
	t.deepEqual(fs.readdirSync(path.join(run.root, 'generations')), [], 'nothing was sealed');
	const verify = await runVerify(run.repository, {level: 'structure', record: false});
	t.true(verify.ok, JSON.stringify(verify.problems));
	const next = await runBackup(run.repository, {sources: [run.source], workers: 2});
	t.is(next.generation.totals.files, 206);
	if (expectReuse) {
		t.true(next.reusedLeftoverPacks > 0, 'packs of the cancelled run are found');
		t.true(next.generation.totals.storedBytes < dataBytes - (10 * megabyte), `stored ${next.generation.totals.storedBytes} of ${dataBytes}`);
	}

	t.true((await runVerify(run.repository, {level: 'full', record: false})).ok);
}

test.serial('cancel during the scan: cancelled, unlocked, clean, and the next backup succeeds', async t => {
	const run = await cancelledBackup(t, event => event.type === 'phase' && event.phase === 'scan');
	await assertCleanAfterCancel(t, run, false);
});

test.serial('cancel during the read, once a pack is on the medium: cancelled, and the next backup reuses that pack', async t => {
	const run = await cancelledBackup(t, (event, root) => event.type === 'progress' && event.phase === 'read' && packFiles(root).length > 0);
	await assertCleanAfterCancel(t, run, true);
});

test.serial('cancel when the last packs are being written: cancelled, and the next backup reuses them', async t => {
	const run = await cancelledBackup(t, event => event.type === 'phase' && event.phase === 'write');
	await assertCleanAfterCancel(t, run, true);
});
