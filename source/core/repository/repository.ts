import fs from 'node:fs/promises';
import os from 'node:os';
import {randomBytes} from 'node:crypto';
import {SedaiError, describeIoError} from '../errors.js';
import {message} from '../message.js';
import type {BytePath} from '../byte-path.js';
import {closedError, contextOf, Sealer} from './crypto.js';
import {createConfig, readConfig, unlockWithSlot, type FormatVersion, type RepositoryConfig, type Secrets} from './config.js';
import {gearTable} from './chunker.js';
import {type BlobIndex, encodePackRecords, type PackRecord, type PackedRecords} from './blob-index.js';
import {loadIndexOf, type LoadedIndex} from './index-load.js';
import {findGeneration} from './generation-reference.js';
import {indexPath, layoutOf, type Layout} from './layout.js';
import {ensureDirectory, syncDirectory, writeFileAtomic} from './atomic.js';
import {listGenerationIds, readGeneration, readGenerationInfo, type GenerationInfo, type LoadedGeneration} from './generations.js';
import {readAllEntries, TreeReader, type SkipFolder} from './tree.js';
import {loadZstd} from './compression.js';
import {checkConfigSeal} from './config-seal.js';
import type {Compression} from './blob-codec.js';
import {acquireLock, type Lock, type LockKind} from './lock.js';

export type PassphraseSource = string | undefined | ((config: RepositoryConfig) => Promise<string | undefined>);

export type {LoadedIndex} from './index-load.js';

/**
 * An opened repository: identity, unlocked keys, and the operations every job shares. It knows
 * folders and files only; which device the folder is on is the system layer's business.
 */
export class Repository {
	readonly sealer: Sealer;
	readonly gear: Uint32Array;
	/** Locks held through this object: a job is using its keys, so close() waits for them. */
	private held = 0;
	private closing = false;
	private wiped = false;
	/** The index trees are looked up in, loaded at the first format-2 generation read. */
	private treeIndex: BlobIndex | undefined;

	private constructor(
		readonly layout: Layout,
		readonly config: RepositoryConfig,
		private readonly secrets: Secrets,
		/** Index in encryption.keys of the slot this passphrase opened (0 right after init). */
		readonly unlockedSlot?: number,
	) {
		this.sealer = new Sealer(secrets.masterKey);
		this.gear = gearTable(secrets.chunkerSeed);
	}

	get root(): string {
		return this.layout.root;
	}

	get id(): string {
		return this.config.id;
	}

	get label(): string {
		return this.config.label;
	}

	get masterKey(): Buffer | undefined {
		this.throwIfWiped();
		return this.secrets.masterKey;
	}

	get chunkerSeed(): Buffer {
		this.throwIfWiped();
		return this.secrets.chunkerSeed;
	}

	get closed(): boolean {
		return this.closing;
	}

	/**
	 * Erase the keys (Buffer.fill(0)): the master key, the chunker seed and the gear table made
	 * from it. A job still holding a lock through this object keeps them until it releases it;
	 * anything after that fails with one sentence instead of sealing under a zero key.
	 */
	close(): void {
		this.closing = true;
		if (this.held === 0) {
			this.wipe();
		}
	}

	private wipe(): void {
		if (this.wiped) {
			return;
		}

		this.wiped = true;
		this.sealer.wipe();
		this.secrets.masterKey?.fill(0);
		this.secrets.chunkerSeed.fill(0);
		this.gear.fill(0);
	}

	private throwIfWiped(): void {
		if (this.wiped) {
			throw closedError();
		}
	}

	/** The format new generations and blobs take: a version-1 repository keeps format 1. */
	get writeFormat(): FormatVersion {
		return this.config.version >= 2 ? 2 : 1;
	}

	get compression(): Compression {
		return this.writeFormat === 2 ? 'zstd' : 'lz4';
	}

	/** Reads tree blobs through `index`, or through this repository's own index (reloaded when a tree is not in it). */
	treeReader(index?: BlobIndex): TreeReader {
		return new TreeReader(this.layout, this.masterKey, async (id, fresh) => {
			if (index) {
				return index.get(id);
			}

			const found = fresh ? undefined : this.treeIndex?.get(id);
			if (found) {
				return found;
			}

			this.treeIndex = (await this.loadIndex()).index;
			return this.treeIndex.get(id);
		});
	}

	/** Format 2 unless `format: 1` is asked for (tests of old cartridges). */
	static async init(root: string, options: {label?: string; site?: string; passphrase?: string; format?: FormatVersion}): Promise<Repository> {
		const layout = layoutOf(root);
		const existing: string[] = await fs.readdir(root).catch((error: unknown): string[] => {
			if ((error as {code?: string}).code === 'ENOENT') {
				return [];
			}

			throw describeIoError(error, `the folder ${root}`);
		});
		if (existing.includes('sedai-repository.json')) {
			throw new SedaiError('repository-exists', `${root} already holds a Sedai repository: use it as it is, or choose an empty folder.`);
		}

		const visible = existing.filter(name => !name.startsWith('.') && name !== 'lost+found');
		if (visible.length > 0) {
			throw new SedaiError('target-not-empty', `${root} is not empty (${visible.length} entries): create the repository in an empty folder, e.g. ${root}/sedai.`, {}, message('error.target-not-empty', {path: root, count: visible.length}));
		}

		const label = options.label ?? defaultLabel(root);
		const {config, secrets} = await createConfig({label, site: options.site, passphrase: options.passphrase, host: os.hostname(), version: options.format});
		try {
			for (const directory of [layout.root, layout.data, layout.index, layout.generations, layout.tombstones, layout.locks, layout.tmp, layout.verifications]) {
				await ensureDirectory(directory);
			}

			await writeFileAtomic(layout.config, JSON.stringify(config, undefined, 2) + '\n', {tmpDirectory: layout.tmp, exclusive: true, mode: 0o444});
			await syncDirectory(layout.root);
		} catch (error) {
			throw describeIoError(error, `the folder ${root}`);
		}

		await loadZstd();
		return new Repository(layout, config, secrets, config.encryption ? 0 : undefined);
	}

	/** Identity only, no passphrase: enough to recognise a cartridge. */
	static async identify(root: string): Promise<RepositoryConfig> {
		const layout = layoutOf(root);
		return readConfig(root, layout.config);
	}

	static async open(root: string, passphrase: PassphraseSource): Promise<Repository> {
		const layout = layoutOf(root);
		let config: RepositoryConfig;
		try {
			config = await readConfig(root, layout.config);
		} catch (error) {
			throw describeIoError(error, `the repository at ${root}`);
		}

		const given = typeof passphrase === 'function' ? (config.encryption ? await passphrase(config) : undefined) : passphrase;
		const {secrets, slot} = await unlockWithSlot(config, given, root);
		checkConfigSeal(config, secrets.masterKey, root);
		await loadZstd();
		return new Repository(layout, config, secrets, slot);
	}

	async lock(kind: LockKind, operation: string, onWarning: (message: string) => void): Promise<Lock> {
		this.throwIfWiped();
		this.held++;
		try {
			const lock = await acquireLock(this.layout, kind, operation, onWarning);
			if (kind !== 'read') {
				await this.cleanTemporaryFiles();
			}

			let released = false;
			return {file: lock.file, release: async () => {
				if (!released) {
					released = true;
					this.unhold();
				}

				await lock.release();
			}};
		} catch (error) {
			this.unhold();
			throw describeIoError(error, `the repository at ${this.root}`);
		}
	}

	private unhold(): void {
		this.held--;
		if (this.closing && this.held === 0) {
			this.wipe();
		}
	}

	/**
	 * Under a writer lock, temp files are from dead runs, except a reader's: a verify or restore
	 * holds only a read lock, which a backup shares, and writes its record through tmp/. Temp
	 * names carry their writer's pid (temporaryName), so those of live processes here stay.
	 */
	private async cleanTemporaryFiles(): Promise<void> {
		await fs.mkdir(this.layout.tmp, {recursive: true});
		for (const name of await fs.readdir(this.layout.tmp)) {
			if (!writerIsAlive(name)) {
				await fs.rm(`${this.layout.tmp}/${name}`, {force: true, recursive: true});
			}
		}
	}

	/**
	 * The blob index: every readable index file, then the trailers of packs no readable index
	 * covers (leftovers of an interrupted run, or the packs of a damaged index file), so one
	 * damaged index file costs nothing but a warning. `recover` writes what the trailers gave.
	 */
	/** Every index file, and the trailers of packs none of them names (written as a new index with `recover`). */
	async loadIndex(options: {recover?: boolean} = {}): Promise<LoadedIndex> {
		return loadIndexOf(this.layout, this.sealer, async packs => (options.recover ? this.writeIndex(packs) : undefined));
	}

	async writeIndex(packs: ReadonlyArray<PackRecord | PackedRecords>): Promise<string> {
		const indexId = randomBytes(16).toString('hex');
		const sealed = this.sealer.seal(encodePackRecords(packs), contextOf('index', indexId));
		await writeFileAtomic(indexPath(this.layout, indexId), sealed, {tmpDirectory: this.layout.tmp, exclusive: true, mode: 0o444});
		return indexId;
	}

	/** Every sealed generation, oldest first. Unreadable ones are returned in `damaged`. */
	async listGenerations(): Promise<{generations: GenerationInfo[]; damaged: Array<{id: string; error: string}>}> {
		const generations: GenerationInfo[] = [];
		const damaged: Array<{id: string; error: string}> = [];
		for (const id of await listGenerationIds(this.layout)) {
			try {
				generations.push(await readGenerationInfo(this.layout, this.sealer, this.id, id));
			} catch (error) {
				damaged.push({id, error: error instanceof Error ? error.message : String(error)});
			}
		}

		generations.sort((a, b) => a.seq - b.seq || a.time.localeCompare(b.time));
		return {generations, damaged};
	}

	/** `latest`, `latest~N`, `#seq`, or a unique id prefix (at least 4 hex digits). */
	async resolveGeneration(reference: string): Promise<GenerationInfo> {
		const {generations} = await this.listGenerations();
		return findGeneration(generations, reference, {label: this.label, root: this.root});
	}

	/** The header only, checked against its seal; a format-2 generation's trees are left unread. */
	async readGenerationHead(id: string): Promise<Pick<LoadedGeneration, 'info' | 'intact'>> {
		const {info, intact} = await readGeneration(this.layout, this.sealer, this.id, id, async () => ({entries: [], treeIds: []}));
		return {info, intact};
	}

	/** A generation's header and entries; a format-2 one leaves out what is below folders `skip` accepts. */
	async readGeneration(id: string, index?: BlobIndex, skip?: SkipFolder): Promise<LoadedGeneration & {skipped: BytePath[]}> {
		const reader = this.treeReader(index);
		let skipped: BytePath[] = [];
		const loaded = await readGeneration(this.layout, this.sealer, this.id, id, async (root, what) => {
			const all = await readAllEntries(reader, root, what, skip);
			skipped = all.skipped;
			return all;
		});
		return {...loaded, skipped};
	}

	/** Whether the repository's folder accepts writes right now (probe, then clean up). */
	async probeWritable(): Promise<{writable: boolean; reason?: string}> {
		const probe = `${this.layout.tmp}/.probe-${process.pid}-${randomBytes(4).toString('hex')}`;
		try {
			await fs.mkdir(this.layout.tmp, {recursive: true});
			await fs.writeFile(probe, '');
			await fs.rm(probe, {force: true});
			return {writable: true};
		} catch (error) {
			return {writable: false, reason: (error as {code?: string}).code ?? String(error)};
		}
	}
}

/** Whether a temp file's writer (the pid in its name, `hint-PID-random.tmp`) runs on this host. */
function writerIsAlive(name: string): boolean {
	const pid = Number(/-(\d+)-[\da-f]{12}\.tmp$/.exec(name)?.[1]);
	if (!Number.isSafeInteger(pid) || pid <= 0) {
		return false;
	}

	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as {code?: string}).code === 'EPERM';
	}
}

function defaultLabel(root: string): string {
	const parts = root.split('/').filter(Boolean);
	return parts.at(-1) ?? 'sedai';
}
