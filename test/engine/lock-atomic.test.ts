import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {execa} from 'execa';
import {Repository} from '../../source/core/repository/repository.js';
import {listLocks} from '../../source/core/repository/lock.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

const churn = fileURLToPath(new URL('../helpers/lock-churn.ts', import.meta.url));

test('a lock file is never seen empty or half-written, even while other processes take locks as fast as they can', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const repository = await Repository.init(path.join(work, 'repo'), {});
	const {locks} = repository.layout;
	const children = Array.from({length: 3}, async () => execa('node', ['--import=tsx', churn, repository.root, '4000']));
	let seen = 0;
	const bad: string[] = [];
	let running = true;
	const all = Promise.all(children).finally(() => {
		running = false;
	});
	while (running) {
		for (const name of await fs.readdir(locks).catch(() => [] as string[])) {
			if (!name.endsWith('.json')) {
				continue;
			}

			const text = await fs.readFile(path.join(locks, name), 'utf8').catch(() => undefined);
			if (text === undefined) {
				continue; // Released between readdir and read.
			}

			seen++;
			try {
				JSON.parse(text);
			} catch {
				bad.push(JSON.stringify(text));
			}
		}
	}

	const counts = (await all).map(result => Number(result.stdout));
	t.true(counts.every(count => count > 10), `every child took locks: ${counts.join(', ')}`);
	t.true(seen > 50, `the watcher read ${seen} lock files`);
	t.deepEqual(bad, [], 'no lock file was read empty or partial');
	t.deepEqual(await listLocks(repository.layout), [], 'all released, no leftovers');
	t.deepEqual(await fs.readdir(locks), []);
});
