import type {Command} from 'commander';
import {driveSource} from '../../system/drive-source.js';
import {formatTime} from '../../text/format.js';
import {localState} from '../context.js';
import type {Output} from '../output.js';

type Options = {json?: boolean};

export function registerEject(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('eject')
		.description('safely eject a cartridge: flush, unmount, power off, and record it offline (refused while a job uses it)')
		.argument('<target>', 'repository label, mount point, or /dev/… of the cartridge')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (target: string, options: Options) => run(options.json, async output => {
			const result = await driveSource().eject(target, {state: localState()});
			for (const note of result.notes) {
				output.warning('eject', note);
			}

			const names = result.cartridges.map(cartridge => `"${cartridge.label}"`).join(', ');
			output.summary({...result, ok: true}, [
				...result.steps.map(step => `- ${step}`),
				result.cartridges.length > 0
					? `Ejected ${names}: offline since ${formatTime(result.cartridges[0].offlineSince)}. It can be removed now.`
					: `Ejected ${result.device ?? target}: it can be removed now (it held no Sedai repository).`,
			]);
			return 0;
		}));
}
