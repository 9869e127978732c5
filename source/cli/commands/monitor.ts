import path from 'node:path';
import type {Command} from 'commander';
import {SedaiError} from '../../core/errors.js';
import {demoHomeToFollow} from '../../demo/follow-demo.js';
import type {Output} from '../output.js';

type Options = {interval?: string};

/**
 * `sedai monitor`: a full-screen dashboard of every Sedai job on this machine, for a second
 * terminal or tmux pane during a drill or a long backup. It reads the job journals and the local
 * state; it never mounts Ink (blessed owns the screen) and never runs a job itself.
 */
export function registerMonitor(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('monitor')
		.description('full-screen live dashboard of running jobs, throughput, cartridges and the last checks (q quits)')
		.option('--interval <ms>', 'how often to look for news, in milliseconds (default 500)')
		.action(async (options: Options) => run(false, async () => {
			if (!process.stdin.isTTY || !process.stdout.isTTY) {
				throw new SedaiError('usage', 'sedai monitor needs an interactive terminal; use `sedai cartridges --json`, `sedai generations --json` or a job\'s own --json output for scripts.');
			}

			const interval = options.interval === undefined ? 500 : Number(options.interval);
			if (!Number.isFinite(interval) || interval < 100 || interval > 60_000) {
				throw new SedaiError('usage', `--interval needs a number of milliseconds between 100 and 60000, not "${options.interval}".`);
			}

			// Loaded only here: other commands never pay for blessed.
			const [{runMonitor}, {MonitorSource}] = await Promise.all([import('../../monitor/run-monitor.js'), import('../../monitor/monitor-source.js')]);
			// Without SEDAI_HOME: the demo while its console runs, or on a machine with no site of its own.
			const demo = demoHomeToFollow();
			await runMonitor({intervalMs: interval, ...(demo ? {source: new MonitorSource({home: demo, directory: path.join(demo, 'jobs')})} : {})});
			return 0;
		}));
}
