import {existsSync, writeFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';

/**
 * Named points where tests interrupt a real Sedai process: SEDAI_TEST_CRASH_AT=<point> kills it
 * with SIGKILL right there (a power cut, as far as the repository can tell);
 * SEDAI_TEST_PAUSE_AT=<point> writes the file SEDAI_TEST_MARKER and waits while it exists.
 * Unset in normal use, where this costs one string comparison.
 */
export async function testSeam(point: string): Promise<void> {
	const crash = process.env['SEDAI_TEST_CRASH_AT'];
	const pause = process.env['SEDAI_TEST_PAUSE_AT'];
	if (crash === undefined && pause === undefined) {
		return;
	}

	if (crash === point) {
		process.kill(process.pid, 'SIGKILL');
		await sleep(10_000);
	}

	const marker = process.env['SEDAI_TEST_MARKER'];
	if (pause === point && marker) {
		writeFileSync(marker, point);
		while (existsSync(marker)) {
			await sleep(20);
		}
	}
}
