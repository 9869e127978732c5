import process from 'node:process';
import type {Command} from 'commander';
import {demoRoot, demoScheduleLocations, ensureDemoWorld, removeDemoWorld} from '../../demo/world.js';
import type {Output} from '../output.js';

/**
 * `sedai demo`: build (once) the demo world in the user's data folder — sample clinic data, three
 * file-backed cartridges and a NAS folder with generations already made — then open the console
 * on it. `--no-tui` only prepares it and prints where it is (for scripts).
 */
type Options = {reset?: boolean; tui?: boolean; json?: boolean};

export function registerDemo(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('demo')
		.description('open the console on a built-in demo (sample clinic, three file-backed cartridges); no hardware, no root')
		.option('--reset', 'throw the demo world away and build it afresh')
		.option('--no-tui', 'only prepare the demo world and print its paths')
		.option('--json', 'machine-readable output (implies --no-tui)')
		.action(async (options: Options) => run(options.json, async output => {
			const root = demoRoot();
			if (options.reset) {
				await removeDemoWorld(root);
			}

			const world = await ensureDemoWorld({root, onProgress(message) {
				if (options.json) {
					output.record('progress', {message});
				} else {
					process.stderr.write(`sedai demo: ${message}\n`);
				}
			}});
			process.env['SEDAI_DEMO_DIR'] = world.root;
			process.env['SEDAI_HOME'] = world.home;
			const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
			if (options.tui === false || options.json === true || !interactive) {
				output.summary({ok: true, root: world.root, home: world.home, clinic: world.clinic, scratch: world.scratch}, [
					`Demo world ready in ${world.root}`,
					`  settings and state: ${world.home} (SEDAI_HOME)`,
					`  sample clinic data: ${world.clinic}`,
					`  cartridges: ${world.bays} (connected), ${world.shelf} (ejected)`,
					...(interactive ? [] : ['Not a terminal: run `sedai demo` in a terminal to open the console.']),
				]);
				return 0;
			}

			// React's development build is several times slower per frame: production, before import.
			process.env['NODE_ENV'] ??= 'production';
			const [{runTui}, {Session}] = await Promise.all([import('../../ui/run-tui.js'), import('../../app/session.js')]);
			await runTui({session: new Session({schedules: demoScheduleLocations(world)})});
			return 0;
		}));
}
