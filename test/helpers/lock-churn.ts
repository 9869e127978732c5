/**
 * Run as a child process (node --import=tsx): take and release read locks on a repository as
 * fast as possible for a while, so a test can watch the locks folder from outside.
 */
import {layoutOf} from '../../source/core/repository/layout.js';
import {acquireLock} from '../../source/core/repository/lock.js';

const [root, milliseconds] = process.argv.slice(2);
const until = Date.now() + Number(milliseconds);
let count = 0;
while (Date.now() < until) {
	const lock = await acquireLock(layoutOf(root), 'read', 'churn', () => undefined);
	await lock.release();
	count++;
}

process.stdout.write(`${count}\n`);
