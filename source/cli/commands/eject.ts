import type {Command} from 'commander';
import {ejectMedium} from '../../app/operations/media-actions.js';
import {formatTime} from '../../text/format.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = {json?: boolean};

export function registerEject(program: Command, run: Runner): void {
	program.command('eject')
		.description('safely eject a cartridge: flush, unmount, power off, and record it offline (refused while a job uses it)')
		.argument('<target>', 'repository label, mount point, or /dev/… of the cartridge')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (target: string, options: Options) => run(options.json, async output => {
			const end = await ejectMedium(cliContext(output, {cancellable: false}), {target});
			return finish(output, end, result => {
				for (const note of result.notes) {
					output.warning('eject', note);
				}

				const names = result.cartridges.map(cartridge => `"${cartridge.label}"`).join(', ');
				return {
					data: {...result, ok: true},
					human: [
						...result.steps.map(step => `- ${step}`),
						result.cartridges.length > 0
							? `Ejected ${names}: offline since ${formatTime(result.cartridges[0].offlineSince)}. It can be removed now.`
							: `Ejected ${result.device ?? target}: it can be removed now (it held no Sedai repository).`,
					],
				};
			});
		}));
}
