// Preloaded into a child Sedai (NODE_OPTIONS=--import): on exit, the process's peak resident set
// in kilobytes (all threads) goes to SEDAI_TEST_MAX_RSS_FILE, so a test measures memory from outside.
import {writeFileSync} from 'node:fs';
import process from 'node:process';
import {isMainThread} from 'node:worker_threads';

const file = process.env.SEDAI_TEST_MAX_RSS_FILE;
if (file && isMainThread) {
	process.on('exit', () => {
		writeFileSync(file, String(process.resourceUsage().maxRSS));
	});
}
