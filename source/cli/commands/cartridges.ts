import type {Command} from 'commander';
import {driveSource} from '../../system/drive-source.js';
import {effectiveProtection, sightings} from '../../system/cartridge-memory.js';
import type {CartridgeRecord} from '../../settings/state.js';
import {formatTime} from '../../text/format.js';
import {localState} from '../context.js';
import {givenPassphrase} from '../passphrase.js';
import type {Output} from '../output.js';

type Options = {json?: boolean; mount?: string};

export function registerCartridges(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('cartridges')
		.description('every cartridge (repository) this machine has seen, online or offline since when, with its generations')
		.option('--mount <label>', 'mount the cartridge with this repository label first (needs root)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const source = driveSource();
			const state = localState();
			const human: string[] = [];
			if (options.mount) {
				if (!source.mount) {
					throw new Error('this drive source cannot mount');
				}

				const mounted = await source.mount(options.mount, {state});
				output.record('mounted', mounted);
				human.push(mounted.alreadyMounted
					? `"${mounted.label}" is already mounted at ${mounted.mountpoint}.`
					: `Mounted "${mounted.label}" (${mounted.device}) at ${mounted.mountpoint}${mounted.readOnly ? ' read-only (write-protected)' : ''}.`, '');
			}

			const report = await source.list({state, passphrase: async () => givenPassphrase({})});
			const online = new Map(sightings(report).map(sighting => [sighting.repository.id, sighting]));
			const readOnlyFilesystems = report.drives.flatMap(drive => drive.filesystems).filter(filesystem => filesystem.readOnly);
			const writeProtected = new Set(readOnlyFilesystems.flatMap(filesystem => filesystem.repositories.map(repository => repository.id)));
			const rows = state.cartridges().map(cartridge => row(cartridge, online.get(cartridge.id), writeProtected.has(cartridge.id)));
			for (const item of rows) {
				output.record('cartridge', item);
			}

			for (const item of rows) {
				const where = item.online
					? `ONLINE at ${item.path ?? '?'}${item.writeProtected ? ', write-protected' : ''}`
					: `OFFLINE since ${item.offlineSince ? formatTime(item.offlineSince) : '?'} (${item.offlineReason ?? 'not seen'})`;
				const details = item.generations.length < item.generationCount ? ' (details after the next backup, verify or `sedai generations` with the passphrase)' : '';
				human.push(`${item.label}  (id ${item.id.slice(0, 8)})  ${where}`, `  ${item.generationCount} generation(s)${details}; last seen ${formatTime(item.lastSeen)}`);
				for (const generation of item.generations) {
					const how = generation.protectedBy === 'offline' && generation.protection ? `offline; on the medium: ${generation.protection}` : generation.protectedBy;
					const note = generation.protectionNote && generation.protectedBy !== 'offline' ? `: ${generation.protectionNote}` : '';
					human.push(`    #${generation.seq} ${generation.shortId} ${formatTime(generation.time)}  ${generation.protected ? `protected (${how})` : 'NOT protected'}${note}`);
				}
			}

			if (rows.length === 0) {
				human.push('No cartridges known yet: plug one in and run `sedai drives`, or back up to one.');
			}

			output.summary({ok: true, cartridges: rows, online: rows.filter(item => item.online).length, offline: rows.filter(item => !item.online).length}, human);
			return 0;
		}));
}

function row(cartridge: CartridgeRecord, sighting: ReturnType<typeof sightings>[number] | undefined, writeProtected: boolean) {
	return {
		id: cartridge.id,
		label: cartridge.label,
		...(cartridge.site ? {site: cartridge.site} : {}),
		encrypted: cartridge.encrypted,
		online: Boolean(sighting),
		writeProtected: Boolean(sighting) && writeProtected,
		...(sighting ? {path: sighting.repository.path, mount: sighting.mount, device: sighting.device} : {path: cartridge.lastPath, lastMount: cartridge.lastMount, lastDevice: cartridge.lastDevice}),
		...(cartridge.offlineSince ? {offlineSince: cartridge.offlineSince, offlineReason: cartridge.offlineReason} : {}),
		firstSeen: cartridge.firstSeen,
		lastSeen: cartridge.lastSeen,
		fsType: cartridge.fsType,
		removable: cartridge.removable,
		generationCount: Math.max(sighting?.repository.generations ?? 0, cartridge.generations.length),
		...(sighting?.repository.newest ? {newest: sighting.repository.newest} : {}),
		generations: cartridge.generations.map(generation => {
			const effective = effectiveProtection(cartridge, generation);
			return {
				...generation,
				protected: effective.protected || writeProtected,
				protectedBy: writeProtected && !effective.protected ? 'read-only' : effective.by,
			};
		}),
	};
}
