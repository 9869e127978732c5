/**
 * Key latency of the console while a job runs: send one key (or a burst) to a tmux pane and
 * poll the pane until the change that key asks for is on screen (a view's title, the help
 * overlay, the palette holding the typed text). A progress tick also changes the screen, so
 * "changed" alone would flatter us: each probe waits for its own expected content.
 *
 * Usage: tsx bench/key-latency.ts SESSION OUT.jsonl — probes until the pane shows "sealed:"
 * (the backup ended), appending one {key, ms} line per answered probe to OUT.jsonl.
 */
import {execFileSync} from 'node:child_process';
import {appendFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';

type Probe = {name: string; keys: string[]; literal?: boolean; done: (pane: string) => boolean};

const [session, out] = process.argv.slice(2);
if (!session || !out) {
	console.error('usage: tsx bench/key-latency.ts SESSION OUT.jsonl');
	process.exit(2);
}

function pane(): string {
	return execFileSync('tmux', ['capture-pane', '-p', '-t', session], {encoding: 'utf8'});
}

function send(keys: string[], literal = false): void {
	execFileSync('tmux', ['send-keys', '-t', session, ...(literal ? ['-l'] : []), ...keys]);
}

const title = (pane: string) => pane.split('\n').slice(0, 2).join('\n');
const view = (key: string, name: string): Probe => ({name: `view ${key}`, keys: [key], done: p => title(p).includes(`[${name}]`)});

// A round trip through every view, the help overlay and a palette burst, ending where it began
// (Backup, with the job panel in sight) so the probes can repeat while the job runs.
const probes: Probe[] = [
	view('1', 'Drives'),
	view('3', 'Generations'),
	view('4', 'Restore'),
	view('5', 'Verify'),
	view('6', 'Compliance'),
	view('7', 'Drills'),
	{name: 'help ?', keys: ['?'], done: p => /^\s*Keys\b/m.test(p) || p.includes(' Keys ')},
	{name: 'help Esc', keys: ['Escape'], done: p => !/^\s*Keys\b/m.test(p) && !p.includes(' Keys ')},
	{name: 'palette :', keys: [':'], done: p => p.includes('Command palette')},
	{name: 'palette burst', keys: ['verify all'], literal: true, done: p => p.includes('verify all')},
	{name: 'palette Esc', keys: ['Escape'], done: p => !p.includes('Command palette')},
	view('2', 'Backup'),
];

function settle(probe: Probe, timeoutMs: number): number | undefined {
	const start = performance.now();
	send(probe.keys, probe.literal);
	while (performance.now() - start < timeoutMs) {
		if (probe.done(pane())) {
			return performance.now() - start;
		}
	}

	return undefined;
}

let answered = 0;
for (let round = 0; round < 1000; round++) {
	for (const probe of probes) {
		const running = !pane().includes('sealed:');
		const ms = settle(probe, 5000);
		if (ms === undefined) {
			console.error(`no answer to "${probe.name}" within 5 s`);
			process.exit(1);
		}

		// Only keys answered while the job still ran count.
		if (running && !pane().includes('sealed:')) {
			appendFileSync(out, JSON.stringify({key: probe.name, ms}) + '\n');
			answered++;
		} else {
			console.error(`${answered} keys measured`);
			process.exit(0);
		}
	}
}
