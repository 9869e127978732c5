import {existsSync} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {SedaiError} from '../core/errors.js';
import {message} from '../core/message.js';
import type {StateStore} from '../settings/state.js';
import {baysDir, readFacts, shelfDir} from './demo-bays.js';
import {findRepositories} from './find-repositories.js';
import type {EjectResult} from './eject.js';
import type {MountResult} from './mount-cartridge.js';
import {freeSpace} from './mounts.js';
import {smartFromOutput, unknownSmart} from './smart.js';
import type {Drive, DriveReport, SmartInfo} from './types.js';

/**
 * Drives for `sedai demo`: each bay is a removable file-backed "drive" whose filesystem is
 * `bays/X/media`; SMART comes from a recorded fixture named in drive.json. Eject moves the bay to
 * the shelf, mount (insert) moves it back. No root and no hardware needed.
 */
const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The package's root (where package.json is), found upward from source/system/, or from dist/ when bundled. */
function findPackageRoot(start: string): string {
	for (let folder = start; ; folder = path.dirname(folder)) {
		if (existsSync(path.join(folder, 'package.json')) || path.dirname(folder) === folder) {
			return folder;
		}
	}
}

async function readSmartFixture(bay: string, name: string | undefined): Promise<SmartInfo> {
	if (!name) {
		return unknownSmart(message('smart.demoNone'));
	}

	const candidates = path.isAbsolute(name)
		? [name]
		: [path.join(bay, name), ...[name, `${name}.json`].map(file => path.join(packageRoot, 'test', 'fixtures', 'smartctl', file))];
	for (const file of candidates) {
		try {
			return smartFromOutput(await fs.readFile(file, 'utf8')).smart;
		} catch {
			// Next candidate.
		}
	}

	return unknownSmart(message('smart.demoMissing', {name}));
}

async function listFolders(directory: string): Promise<string[]> {
	try {
		const entries = await fs.readdir(directory, {withFileTypes: true});
		return entries.filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
	} catch {
		return [];
	}
}

export async function listDemoDrives(demo: string, options: {state?: StateStore} = {}): Promise<DriveReport> {
	const drives: Drive[] = [];
	for (const name of await listFolders(baysDir(demo))) {
		const bay = path.join(baysDir(demo), name);
		const facts = await readFacts(bay);
		const media = path.join(bay, 'media');
		const space = await freeSpace(media);
		const size = facts.size ?? space?.size ?? 0;
		drives.push({
			name,
			path: bay,
			model: facts.model ?? 'Demo RDX cartridge',
			...(facts.serial ? {serial: facts.serial} : {}),
			transport: facts.transport ?? 'usb',
			size,
			removable: facts.removable ?? true,
			writeProtected: Boolean(facts.writeProtected),
			filesystems: [{
				device: bay,
				fsType: facts.fsType ?? 'demo',
				label: facts.label ?? name,
				mountpoint: media,
				size,
				...(space ? {available: Math.min(space.available, size || space.available)} : {}),
				readOnly: Boolean(facts.writeProtected),
				...(facts.writeProtected ? {readOnlyReason: 'hardware write-protect on (the device is read-only)'} : {}),
				repositories: await findRepositories(media, options.state),
			}],
			smart: await readSmartFixture(bay, facts.smartFixture),
		});
	}

	return {source: 'demo', time: new Date().toISOString(), drives, notes: ['Demo mode: these drives are folders under the demo world, not hardware.']};
}

async function bayFor(demo: string, target: string, where: 'bays' | 'shelf'): Promise<string | undefined> {
	const root = where === 'bays' ? baysDir(demo) : shelfDir(demo);
	for (const name of await listFolders(root)) {
		const bay = path.join(root, name);
		const media = path.join(bay, 'media');
		if (target === name || path.resolve(target) === bay || path.resolve(target) === media || path.resolve(target).startsWith(media + path.sep)) {
			return bay;
		}

		const repositories = await findRepositories(media);
		if (repositories.some(repository => repository.label === target)) {
			return bay;
		}
	}

	return undefined;
}

export async function ejectDemo(demo: string, target: string, options: {state?: StateStore; now?: Date} = {}): Promise<EjectResult> {
	const bay = await bayFor(demo, target, 'bays');
	if (!bay) {
		const shelved = await bayFor(demo, target, 'shelf');
		throw new SedaiError('not-found', shelved
			? `The cartridge "${target}" is already on the shelf (ejected).`
			: `No connected cartridge is labelled "${target}": see \`sedai drives\` for what is plugged in.`);
	}

	const media = path.join(bay, 'media');
	const repositories = await findRepositories(media);
	const busy = repositories.find(repository => repository.busy);
	if (busy) {
		throw new SedaiError('busy', `The cartridge "${busy.label}" is in use by ${busy.busy}: wait for it to finish, then eject.`, {label: busy.label});
	}

	const shelf = path.join(shelfDir(demo), path.basename(bay));
	await fs.mkdir(shelfDir(demo), {recursive: true});
	await fs.rm(shelf, {recursive: true, force: true});
	await fs.rename(bay, shelf);
	const now = options.now ?? new Date();
	const cartridges: EjectResult['cartridges'] = [];
	for (const repository of repositories) {
		if (options.state) {
			options.state.remember({id: repository.id, label: repository.label, ...(repository.site ? {site: repository.site} : {}), encrypted: repository.encrypted, lastPath: path.join(shelf, 'media', path.relative(media, repository.path)), lastMount: media, lastDevice: bay, fsType: 'demo', removable: true}, now);
			options.state.markOffline(repository.id, 'ejected', now);
		}

		cartridges.push({id: repository.id, label: repository.label, offlineSince: now.toISOString()});
	}

	return {target, ok: true, device: bay, mountpoint: media, cartridges, steps: ['flushed writes', `moved ${path.basename(bay)} from the bay to the shelf`], notes: []};
}

/** Insert a shelved demo cartridge again (the demo's "mount by label"). */
export async function insertDemo(demo: string, label: string): Promise<MountResult> {
	const inBay = await bayFor(demo, label, 'bays');
	if (inBay) {
		const facts = await readFacts(inBay);
		return {label, device: inBay, mountpoint: path.join(inBay, 'media'), alreadyMounted: true, readOnly: Boolean(facts.writeProtected)};
	}

	const shelved = await bayFor(demo, label, 'shelf');
	if (!shelved) {
		throw new SedaiError('not-found', `No cartridge labelled "${label}" is on the demo shelf: see \`sedai cartridges\`.`);
	}

	const bay = path.join(baysDir(demo), path.basename(shelved));
	await fs.mkdir(baysDir(demo), {recursive: true});
	await fs.rename(shelved, bay);
	const facts = await readFacts(bay);
	return {label, device: bay, mountpoint: path.join(bay, 'media'), alreadyMounted: false, readOnly: Boolean(facts.writeProtected)};
}
