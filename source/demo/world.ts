import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Repository} from '../core/repository/repository.js';
import {backUp} from '../app/operations/backup.js';
import type {OperationContext} from '../app/operations/context.js';
import {noJournals} from '../app/operations/journals.js';
import {knownMedium, type Medium} from '../app/operations/locate.js';
import {MediumOpener} from '../app/operations/open.js';
import {Passphrases} from '../app/operations/passphrase.js';
import {SettingsStore} from '../settings/store.js';
import {StateStore} from '../settings/state.js';
import {rememberRepository} from '../settings/remember.js';
import {driveSource} from '../system/drive-source.js';
import {runTool} from '../system/run-tool.js';
import {SedaiError} from '../core/errors.js';
import {planRunFromSummary, writeRunStatus} from '../settings/run-status.js';
import {formatBytes} from '../text/format.js';
import {createSampleClinic, simulateDay} from './sample-clinic.js';
import {addImaging} from './imaging.js';
import healthyDisk from './smart/healthy-usb-disk.json' with {type: 'json'};
import failingDisk from './smart/failing-usb-disk.json' with {type: 'json'};

/**
 * The built-in demo: a clinic's data and three file-backed RDX cartridges (two in drive bays,
 * one on the shelf, i.e. offline) plus a NAS folder, with a week and a half of generations
 * already made. No hardware, no root. Layout: see the "Demo world layout" in the readme.
 */
export type DemoWorld = {
	root: string;
	home: string;
	clinic: string;
	bays: string;
	shelf: string;
	nas: string;
	scratch: string;
	passphraseFile: string;
};

export const demoPassphrase = 'sedai-demo';
const worldVersion = 3;

export function demoRoot(): string {
	const fromEnvironment = process.env['SEDAI_DEMO_DIR'];
	if (fromEnvironment) {
		return path.resolve(fromEnvironment);
	}

	const data = process.env['XDG_DATA_HOME'] ?? path.join(os.homedir(), '.local', 'share');
	return path.join(data, 'sedai', 'demo');
}

export function demoWorld(root = demoRoot()): DemoWorld {
	return {
		root,
		home: path.join(root, 'home'),
		clinic: path.join(root, 'clinic'),
		bays: path.join(root, 'bays'),
		shelf: path.join(root, 'shelf'),
		nas: path.join(root, 'nas', 'sedai'),
		scratch: path.join(root, 'scratch'),
		passphraseFile: path.join(root, 'home', 'demo-passphrase'),
	};
}

/** The demo's schedules go to its own folder: the demo never touches the real systemd or cron. */
export function demoScheduleLocations(world: DemoWorld): {unitDirectory: string; cronDirectory: string} {
	return {unitDirectory: path.join(world.home, 'systemd'), cronDirectory: path.join(world.home, 'cron.d')};
}

export type DriveFacts = {
	model: string;
	serial: string;
	transport: string;
	size: number;
	removable: boolean;
	writeProtected: boolean;
	/** A recorded real smartctl --json output, as a file name inside the bay. */
	smartFixture: string;
};

const cartridges: Array<{name: string; serial: string; place: 'bays' | 'shelf'; smart: unknown}> = [
	{name: 'RDX-A', serial: 'DEMO0A1B2C3', place: 'bays', smart: healthyDisk},
	{name: 'RDX-B', serial: 'DEMO0B4D5E6', place: 'shelf', smart: healthyDisk},
	// A worn-out cartridge, to show what one that must be replaced looks like.
	{name: 'RDX-C', serial: 'DEMO0C7F8G9', place: 'bays', smart: failingDisk},
];

const historyDays = 10;

/**
 * Throw a demo world away. Its sealed files may be immutable (backups made as root on ext4), so
 * that protection is lifted first: deliberately, and only inside the demo folder.
 */
export async function removeDemoWorld(root = demoRoot()): Promise<void> {
	try {
		await fs.rm(root, {recursive: true, force: true});
	} catch (error) {
		const {code} = (error as {code?: string});
		if (code !== 'EPERM' && code !== 'ENOTDIR' && code !== 'EACCES') {
			throw error;
		}

		await runTool('chattr', ['-R', '-i', root]);
		await fs.rm(root, {recursive: true, force: true});
	}
}

function demoContext(settings: SettingsStore, state: StateStore, world: DemoWorld): OperationContext {
	return {
		settings: () => settings.get(),
		state,
		drives: driveSource(),
		media: new MediumOpener(new Passphrases({file: world.passphraseFile})),
		emit: () => undefined,
		journals: noJournals,
	};
}

/** The world there is of this version (and, when a size is asked for, was built for that size). */
async function addBulk(world: DemoWorld, size: number, epoch: number, say: (message: string) => void): Promise<void> {
	const missing = size - await treeBytes(world.clinic);
	if (missing <= 0) {
		return;
	}

	say(`Adding ${formatBytes(missing)} of imaging studies to the clinic`);
	await addImaging(world.clinic, missing, {epoch});
}

export async function demoExists(world = demoWorld(), size?: number): Promise<boolean> {
	try {
		const marker = JSON.parse(await fs.readFile(path.join(world.root, 'world.json'), 'utf8')) as {version?: number; size?: number};
		return marker.version === worldVersion && (size === undefined || marker.size === size);
	} catch {
		return false;
	}
}

async function treeBytes(folder: string): Promise<number> {
	let total = 0;
	for (const entry of await fs.readdir(folder, {withFileTypes: true})) {
		const full = path.join(folder, entry.name);
		total += entry.isDirectory() ? await treeBytes(full) : (entry.isFile() ? (await fs.stat(full)).size : 0);
	}

	return total;
}

/** A big demo is kept three times (the clinic, a cartridge, the NAS), plus room for a backup to another cartridge. */
async function checkRoom(root: string, size: number): Promise<void> {
	let folder = path.resolve(root);
	while (!(await fs.stat(folder).then(stat => stat.isDirectory(), () => false))) {
		folder = path.dirname(folder);
	}

	const {bavail, bsize} = await fs.statfs(folder);
	const needed = 4 * size;
	if (bavail * bsize < needed) {
		throw new SedaiError('no-space', `A ${formatBytes(size)} demo needs about ${formatBytes(needed)} free in ${folder} (the clinic, two media holding it, room for one more backup), but only ${formatBytes(bavail * bsize)} are free: ask for a smaller --size or free some space.`);
	}
}

export type DemoOptions = {
	root?: string;
	onProgress?: (message: string) => void;
	now?: Date;
	/** The clinic's size in bytes (`sedai demo --size`): imaging studies make up the difference. */
	size?: number;
};

/** Create the demo world unless it is there already (of that size, when one is asked for); returns its paths. */
export async function ensureDemoWorld(options: DemoOptions = {}): Promise<DemoWorld> {
	const world = demoWorld(options.root);
	if (await demoExists(world, options.size)) {
		return world;
	}

	const say = options.onProgress ?? (() => undefined);
	if (options.size !== undefined) {
		await checkRoom(world.root, options.size);
	}

	await removeDemoWorld(world.root);
	for (const folder of [world.home, world.clinic, world.bays, world.shelf, path.dirname(world.nas), world.scratch]) {
		await fs.mkdir(folder, {recursive: true});
	}

	await fs.writeFile(world.passphraseFile, `${demoPassphrase}\n`, {mode: 0o600});
	say('Creating sample clinic data');
	const now = options.now ?? new Date();
	const dayMs = 86_400_000;
	const start = now.getTime() - (historyDays * dayMs);
	await createSampleClinic(world.clinic, {epoch: start});

	const repositories = new Map<string, Repository>();
	for (const cartridge of cartridges) {
		const media = path.join(world[cartridge.place], cartridge.name, 'media');
		await fs.mkdir(media, {recursive: true});
		const facts: DriveFacts = {
			model: 'RDX QuikStor 1TB (demo)',
			serial: cartridge.serial,
			transport: 'usb',
			size: 1_000_204_886_016,
			removable: true,
			writeProtected: false,
			smartFixture: 'smart.json',
		};
		await fs.writeFile(path.join(world[cartridge.place], cartridge.name, 'drive.json'), JSON.stringify(facts, undefined, 2));
		await fs.writeFile(path.join(world[cartridge.place], cartridge.name, 'smart.json'), JSON.stringify(cartridge.smart));
		repositories.set(cartridge.name, await Repository.init(path.join(media, 'sedai'), {label: cartridge.name, site: 'Sakura Clinic (demo)', passphrase: demoPassphrase}));
	}

	const nas = await Repository.init(world.nas, {label: 'NAS', site: 'Sakura Clinic (demo)', passphrase: demoPassphrase});

	const settings = new SettingsStore(world.home);
	settings.update({
		site: 'Sakura Clinic (demo)',
		sources: [world.clinic],
		targets: [
			...cartridges.map(cartridge => ({name: cartridge.name, kind: 'cartridge' as const, label: cartridge.name})),
			{name: 'NAS', kind: 'folder' as const, path: world.nas},
		],
		plans: [{name: 'nightly', targets: ['RDX-A', 'RDX-B', 'RDX-C', 'NAS']}],
		rotation: cartridges.map(cartridge => cartridge.name),
		scratch: world.scratch,
		passphraseFile: world.passphraseFile,
	});

	// The history is made by the same backup operation every front end uses (sentinel, seal,
	// protection: read-only, and immutable where root on ext4 allows), with fabricated times.
	const state = new StateStore(world.home);
	const context = demoContext(settings, state, world);
	const medium = (repository: Repository, name: string): Medium => knownMedium(repository.root, repository.id, repository.label, name === 'NAS' ? 'folder' : 'cartridge', name);
	// Rotation A → B → C by day; the NAS gets every night. Times are fabricated, days apart.
	for (let day = 0; day < historyDays; day++) {
		const at = new Date(start + ((day + 1) * dayMs) - (2 * 3_600_000));
		if (day > 0) {
			await simulateDay(world.clinic, day, {epoch: start});
		}

		if (day === historyDays - 1 && options.size !== undefined) {
			// The bulk arrives for the last night only: the newest generations hold it, ten copies are not needed.
			await addBulk(world, options.size, start, say);
		}

		const cartridge = cartridges[day % cartridges.length];
		say(`Backing up day ${day + 1} of ${historyDays} to ${cartridge.name} and NAS`);
		const end = await backUp(context, {media: [medium(repositories.get(cartridge.name)!, cartridge.name), medium(nas, 'NAS')], sources: [world.clinic], now: at, workers: options.size === undefined ? 1 : undefined});
		if (end.status !== 'ok') {
			throw end.failure ?? new Error(`The demo's backup of day ${day + 1} did not seal: ${end.result?.failed.join(', ') ?? end.status}`);
		}

		if (day === historyDays - 1) {
			// Last night's run, as the Backup view and `sedai status` read it.
			writeRunStatus(planRunFromSummary(settings.get().site, 'nightly', end.result, {ok: true, ended: new Date(at.getTime() + 60_000).toISOString()}), world.home);
		}
	}

	for (const cartridge of cartridges) {
		const repository = repositories.get(cartridge.name)!;
		const media = path.join(world[cartridge.place], cartridge.name, 'media');
		await rememberRepository(state, repository, {mount: media, device: `demo:${cartridge.name}`, fsType: 'exfat', removable: true});
		if (cartridge.place === 'shelf') {
			// It was taken out after its last backup: offline since then.
			state.markOffline(repository.id, 'ejected', new Date(now.getTime() - (1.5 * dayMs)));
		}
	}

	await rememberRepository(state, nas, {mount: path.dirname(world.nas), fsType: 'nfs', removable: false});

	await fs.writeFile(path.join(world.root, 'world.json'), JSON.stringify({version: worldVersion, created: now.toISOString(), ...(options.size === undefined ? {} : {size: options.size})}, undefined, 2));
	say('Demo ready');
	return world;
}
