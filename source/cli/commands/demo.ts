import process from 'node:process';
import type {Command} from 'commander';
import {SedaiError} from '../../core/errors.js';
import {noteDemoConsole} from '../../demo/follow-demo.js';
import {parseSize} from '../../demo/imaging.js';
import {demoRoot, demoScheduleLocations, ensureDemoWorld, removeDemoWorld} from '../../demo/world.js';
import type {Output} from '../output.js';

/**
 * `sedai demo`: build (once) the demo world in the user's data folder — sample clinic data, three
 * file-backed cartridges and a NAS folder with generations already made — then open the console
 * on it. `--no-tui` only prepares it and prints where it is (for scripts).
 */
type Options = {reset?: boolean; tui?: boolean; json?: boolean; size?: string};

export function registerDemo(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('demo')
		.description('open the console on a built-in demo (sample clinic, three file-backed cartridges); no hardware, no root')
		.option('--reset', 'throw the demo world away and build it afresh')
		.option('--size <size>', 'a clinic this large (e.g. 500MB, 2GB) so backup, verify and restore run for seconds; rebuilds the demo at that size')
		.option('--no-tui', 'only prepare the demo world and print its paths')
		.option('--json', 'machine-readable output (implies --no-tui)')
		.action(async (options: Options) => run(options.json, async output => {
			const size = options.size === undefined ? undefined : parseSize(options.size);
			if (options.size !== undefined && size === undefined) {
				throw new SedaiError('usage', `--size ${options.size} is not a size: write it as e.g. --size 500MB or --size 2GB.`);
			}

			const root = demoRoot();
			if (options.reset) {
				await removeDemoWorld(root);
			}

			const world = await ensureDemoWorld({root, ...(size === undefined ? {} : {size}), onProgress(message) {
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
			// While the console runs, `sedai monitor` (without SEDAI_HOME) watches the demo.
			const forget = noteDemoConsole(world);
			try {
				await runTui({session: new Session({schedules: demoScheduleLocations(world)})});
			} finally {
				forget();
			}

			return 0;
		}));
}
