import test from 'ava';
import {isSedaiError} from '../../source/core/errors.js';
import {TaskSet} from '../../source/core/jobs/task-set.js';

/** Resolved or rejected from outside: a task whose end the test decides. */
function task() {
	let resolve!: () => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<void>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return {promise, resolve, reject};
}

test('settle waits for every task and throws the first failure', async t => {
	const tasks = new TaskSet(undefined);
	const [a, b, c] = [task(), task(), task()];
	tasks.add(a.promise);
	tasks.add(b.promise);
	tasks.add(c.promise);
	b.reject(new Error('first'));
	c.reject(new Error('second'));
	a.resolve();
	const error = await t.throwsAsync(tasks.settle());
	t.is(error?.message, 'first');
});

test('a task rejected after a cancel is handled, and settle ends as cancelled without waiting for the rest', async t => {
	const unhandled: unknown[] = [];
	const onUnhandled = (reason: unknown) => {
		unhandled.push(reason);
	};

	process.on('unhandledRejection', onUnhandled);
	t.teardown(() => {
		process.off('unhandledRejection', onUnhandled);
	});
	const controller = new AbortController();
	const tasks = new TaskSet(controller.signal);
	const [stuck, closed] = [task(), task()];
	tasks.add(stuck.promise);
	tasks.add(closed.promise);
	const settled = tasks.settle();
	controller.abort();
	closed.reject(new Error('worker pool closed'));
	const error = await t.throwsAsync(settled);
	t.true(isSedaiError(error));
	t.is((error as {code?: string}).code, 'cancelled');
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	t.deepEqual(unhandled, []);
});

test('unlessAborted passes a result through, and throws cancelled once aborted', async t => {
	const controller = new AbortController();
	const tasks = new TaskSet(controller.signal);
	t.is(await tasks.unlessAborted(Promise.resolve(42)), 42);
	const waiting = tasks.unlessAborted(task().promise);
	controller.abort();
	const whileWaiting = await t.throwsAsync(waiting);
	t.is((whileWaiting as {code?: string}).code, 'cancelled');
	const afterwards = await t.throwsAsync(tasks.unlessAborted(Promise.resolve(1)));
	t.is((afterwards as {code?: string}).code, 'cancelled');
});
