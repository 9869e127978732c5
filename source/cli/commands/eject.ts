import type {Command} from 'commander';
import {confirmStoredAway, ejectMedium} from '../../app/operations/media-actions.js';
import {formatTime} from '../../text/format.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = {json?: boolean; storedAway?: boolean};

export function registerEject(program: Command, run: Runner): void {
	program.command('eject')
		.description('safely eject a cartridge: flush, unmount, power off, and record it offline (refused while a job uses it)')
		.argument('<target>', 'repository label, mount point, or /dev/… of the cartridge')
		.option('--stored-away', 'the cartridge is already out (pulled without a safe eject): confirm it is stored away offline, so it counts as the offline copy')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (target: string, options: Options) => run(options.json, async output => {
			if (options.storedAway) {
				const end = await confirmStoredAway(cliContext(output, {cancellable: false}), {target});
				return finish(output, end, result => ({
					data: {...result, ok: true},
					human: [result.reason === 'ejected'
						? `"${result.label}" was ejected by Sedai on ${formatTime(result.offlineSince)}: it is already counted as offline.`
						: `"${result.label}" is recorded as stored away (offline since ${formatTime(result.offlineSince)}): it counts as an offline copy once its last full verification is clean.`],
				}));
			}

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
