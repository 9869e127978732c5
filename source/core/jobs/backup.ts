import fs from 'node:fs/promises';
import os from 'node:os';
import {SedaiError, describeIoError, isSedaiError} from '../errors.js';
import {toBuffer, toText, type BytePath} from '../byte-path.js';
import type {Repository} from '../repository/repository.js';
import {PackWriter} from '../repository/pack.js';
import {wholeFileLimit} from '../repository/chunker.js';
import {IdSet} from '../repository/blob-index.js';
import {sealGeneration, type GenerationInfo} from '../repository/generations.js';
import {chunkCount, chunkId, type Entry, type SentinelVerdict} from '../repository/manifest.js';
import {generationPath, indexPath, packPath} from '../repository/layout.js';
import {WorkerPool} from '../workers/pool.js';
import type {BlobsMessage, ChunkTask, NewBlob, WorkerMessage} from '../workers/protocol.js';
import {testSeam} from '../test-seam.js';
import {GarbageMeter, collectGarbage} from '../memory.js';
import type {JobOptions} from './events.js';
import {ProgressReporter, cancelledError, throwIfAborted} from './progress.js';
import {walkSources, type WalkedEntry} from './walk.js';

/**
 * Backup: walk the sources, reuse unchanged files from the previous generation by metadata,
 * chunk/hash/compress/seal changed ones on worker threads, pack new blobs, then index and seal.
 * Nothing is visible until the generation file lands; anything written before a crash is reused.
 */
export type SentinelInput = {
	previous: Entry[] | undefined;
	current: Entry[];
	/** Sampled entropy (bits/byte) of new content per changed file, where measured. */
	readFile: (path: BytePath) => Promise<Buffer | undefined>;
	absoluteOf: (path: BytePath) => BytePath | undefined;
};

export type BackupOptions = JobOptions & {
	sources: string[];
	tags?: string[];
	/** Test seam: the generation's time (retention tests fabricate history with it). */
	now?: Date;
	workers?: number;
	sentinel?: (input: SentinelInput) => Promise<SentinelVerdict>;
};

export type BackupResult = {
	generation: GenerationInfo;
	previous: GenerationInfo | undefined;
	/** Files this run added to the medium (for write protection). */
	writtenFiles: string[];
	changedFiles: number;
	reusedFiles: number;
	warnings: number;
	reusedLeftoverPacks: number;
};

/** Large files are cut at fixed segment offsets so two workers can chunk one file at once. */
export const segmentSize = 32 * 1024 * 1024;
const queueLimit = 16 * 1024 * 1024;
const batchFiles = 128;
const batchBytesLimit = 8 * 1024 * 1024;

type FilePlan = {entry: WalkedEntry; whole: boolean; segments: number; results: Array<Uint8Array | undefined>; bytes: number; failed?: string};

export async function runBackup(repository: Repository, options: BackupOptions): Promise<BackupResult> {
	const reporter = new ProgressReporter('backup', options);
	const {signal} = options;
	const what = `the repository "${repository.label}" at ${repository.root}`;
	throwIfAborted(signal);
	reporter.start();
	const probe = await repository.probeWritable();
	if (!probe.writable) {
		reporter.stop();
		throw probe.reason === 'EROFS'
			? new SedaiError('read-only', `${capitalize(what)} is write-protected (read-only medium): nothing was written. Turn the cartridge's write-protect switch off to back up to it; verify and restore still work.`)
			: new SedaiError('io', `${capitalize(what)} cannot be written (${probe.reason ?? 'unknown error'}): check permissions and that the medium is mounted read-write.`);
	}

	const lock = await repository.lock('append', 'backup', message => {
		reporter.warn('stale-lock', message);
	});
	let pool: WorkerPool | undefined;
	let writer: PackWriter | undefined;
	const onAbort = () => {
		void pool?.close();
	};

	signal?.addEventListener('abort', onAbort);
	try {
		reporter.setPhase('open', `Opening ${what}`);
		const loaded = await repository.loadIndex({recover: true});
		const {index} = loaded;
		if (loaded.unindexedPacks.length > 0) {
			reporter.warn('reused-leftovers', `Found ${loaded.unindexedPacks.length} pack(s) left by an interrupted run; their data is reused.`);
		}

		const {generations} = await repository.listGenerations();
		const latest = generations.at(-1);

		reporter.setPhase('scan', `Scanning ${options.sources.join(', ')}`);
		const walked = await walkSources(options.sources, (code, message, path) => {
			reporter.warn(code, message, path);
		}, (files, bytes) => {
			reporter.filesTotal = files;
			reporter.bytesTotal = bytes;
		}, signal, [repository.root]);
		throwIfAborted(signal);
		await testSeam('backup:scanned');
		reporter.filesTotal = walked.files;
		reporter.bytesTotal = walked.bytes;

		// The parent for change detection: the newest generation of any of the same source paths.
		const rootPaths = new Set(walked.roots.map(root => root.path));
		const parent = [...generations].reverse().find(generation => generation.sources.some(source => rootPaths.has(source.path)));
		const previousByAbsolute = new Map<BytePath, Entry>();
		let previousEntries: Entry[] | undefined;
		if (parent) {
			const loadedParent = await repository.readGeneration(parent.id);
			previousEntries = loadedParent.entries;
			const rootOf = new Map(parent.sources.map(source => [source.name, source.path]));
			for (const entry of loadedParent.entries) {
				const slash = entry.path.indexOf('/');
				const name = slash === -1 ? entry.path : entry.path.slice(0, slash);
				const base = rootOf.get(name);
				if (base !== undefined) {
					previousByAbsolute.set(base + (slash === -1 ? '' : entry.path.slice(slash)), entry);
				}
			}
		}

		const plans: FilePlan[] = [];
		const leaders = new Map<string, WalkedEntry>();
		let reusedFiles = 0;
		const symlinks: WalkedEntry[] = [];
		for (const entry of walked.entries) {
			if (entry.type === 'symlink') {
				symlinks.push(entry);
				continue;
			}

			if (entry.type !== 'file') {
				continue;
			}

			if (entry.nlink > 1) {
				const key = `${entry.dev}:${entry.ino}`;
				const leader = leaders.get(key);
				if (leader) {
					entry.type = 'hardlink';
					entry.target = leader.path;
					reporter.filesDone++;
					continue;
				}

				leaders.set(key, entry);
			}

			const before = previousByAbsolute.get(entry.absolute);
			if (before?.type === 'file' && before.chunks && before.size === entry.size && before.mtimeNs === entry.mtimeNs
				&& before.ctimeNs === entry.ctimeNs && before.ino === entry.ino && allPresent(before, index)) {
				entry.chunks = before.chunks;
				reusedFiles++;
				reporter.filesDone++;
				reporter.bytesDone += entry.size;
				continue;
			}

			if (entry.size === 0) {
				entry.chunks = Buffer.alloc(0);
				reporter.filesDone++;
				continue;
			}

			// Small files are one blob; larger ones are chunked, in 32 MiB segments for parallelism.
			const whole = entry.size <= wholeFileLimit;
			const segments = whole ? 1 : Math.ceil(entry.size / segmentSize);
			plans.push({entry, whole, segments, results: Array.from({length: segments}), bytes: 0});
		}

		const dropped = new Set<WalkedEntry>();
		await Promise.all(symlinks.map(async entry => {
			try {
				const target = await fs.readlink(toBuffer(entry.absolute), {encoding: 'buffer'});
				entry.target = target.toString('latin1');
			} catch (error) {
				reporter.warn('unreadable', `Could not read the symlink ${toText(entry.absolute)} (${(error as {code?: string}).code ?? String(error)}): skipped.`, toText(entry.absolute));
				dropped.add(entry);
			}
		}));

		reporter.setPhase('read', `Backing up ${plans.length} changed file(s), ${reusedFiles} unchanged`);
		const packWriter = new PackWriter(repository.layout, repository.sealer);
		writer = packWriter;
		const runIds = new IdSet(new Uint8Array(0));
		let newBytes = 0;
		let newBlobs = 0;
		let queuedBytes = 0;
		let writeChain: Promise<void> = Promise.resolve();
		let writeFailure: unknown;

		// Batches from workers are freed only when this thread collects: do it as they pass through.
		const received = new GarbageMeter(16 * 1024 * 1024);
		const onBlobs = (message: BlobsMessage) => {
			reporter.bytesDone += message.bytes;
			if (!message.buffer) {
				return;
			}

			const fresh: NewBlob[] = [];
			let size = 0;
			for (const blob of message.blobs) {
				// Another worker may have found the same chunk meanwhile: keep the first.
				if (index.has(blob.id) || !runIds.add(blob.id)) {
					continue;
				}

				fresh.push({id: blob.id, data: new Uint8Array(message.buffer, blob.offset, blob.length), rawLength: blob.rawLength, flags: blob.flags});
				newBytes += blob.rawLength;
				newBlobs++;
				size += blob.length;
			}

			queuedBytes += size;
			received.add(size);
			writeChain = writeChain.then(async () => {
				for (const blob of fresh) {
					if (writeFailure) {
						break;
					}

					await packWriter.add(blob);
				}
			}).catch((error: unknown) => {
				writeFailure ??= error;
			}).finally(() => {
				queuedBytes -= size;
			});
		};

		// Big files first, spread as segments over every worker; then small files in batches.
		type Item = {plan: FilePlan; segment: number};
		const batches: Item[][] = [];
		for (const plan of plans.filter(plan => !plan.whole).sort((a, b) => b.entry.size - a.entry.size)) {
			for (let segment = 0; segment < plan.segments; segment++) {
				batches.push([{plan, segment}]);
			}
		}

		let batch: Item[] = [];
		let batchBytes = 0;
		for (const plan of plans) {
			if (plan.whole) {
				batch.push({plan, segment: 0});
				batchBytes += plan.entry.size;
				if (batch.length >= batchFiles || batchBytes >= batchBytesLimit) {
					batches.push(batch);
					batch = [];
					batchBytes = 0;
				}
			}
		}

		if (batch.length > 0) {
			batches.push(batch);
		}

		// Threads only when there is something to read: a no-change run stays small and quick.
		const activePool = batches.length > 0
			? new WorkerPool({
				key: repository.masterKey,
				gear: repository.gear,
				chunker: repository.config.chunker,
				wholeFileLimit,
				knownIds: index.idBytes(),
			}, options.workers)
			: undefined;
		pool = activePool;
		const running: Array<Promise<void>> = [];
		for (const items of batches) {
			throwIfAborted(signal);

			await activePool!.slot();
			while (queuedBytes > queueLimit && !writeFailure) {
				await writeChain;
			}

			if (writeFailure) {
				throw writeFailure;
			}

			reporter.currentPath = toText(items[0].plan.entry.absolute);
			const task: Omit<ChunkTask, 'taskId'> = {kind: 'chunk', items: items.map(({plan, segment}) => {
				const start = segment * segmentSize;
				const end = Math.min(plan.entry.size, start + segmentSize);
				return {path: toBuffer(plan.entry.absolute), start, end, whole: plan.whole};
			})};
			running.push(activePool!.run<ChunkTask>(task, (message: WorkerMessage) => {
				if (message.type === 'blobs') {
					onBlobs(message);
				}
			}).then(done => {
				for (const [i, {plan, segment}] of items.entries()) {
					const result = done.items?.[i] ?? {bytes: 0, error: done.error ?? {code: 'EIO', message: 'no result from worker'}};
					if (result.error) {
						plan.failed = `${result.error.code}: ${result.error.message}`;
						continue;
					}

					plan.results[segment] = result.chunks;
					plan.bytes += result.bytes;
					if (plan.results.every(Boolean)) {
						reporter.filesDone++;
					}
				}
			}));
		}

		await Promise.all(running);
		await writeChain;
		if (writeFailure) {
			throw writeFailure;
		}

		throwIfAborted(signal);
		reporter.setPhase('write', 'Writing the last packs');
		const packs = await packWriter.finish();
		writer = undefined;

		for (const plan of plans) {
			if (plan.failed) {
				const vanished = plan.failed.startsWith('ENOENT');
				reporter.warn(vanished ? 'vanished' : 'unreadable', vanished
					? `${toText(plan.entry.absolute)} disappeared while the backup ran: not in this generation.`
					: `Could not read ${toText(plan.entry.absolute)} (${plan.failed}): not in this generation.`, toText(plan.entry.absolute));
				dropped.add(plan.entry);
				continue;
			}

			plan.entry.chunks = Buffer.concat(plan.results as Uint8Array[]);
			if (plan.bytes !== plan.entry.size) {
				reporter.warn('changed-while-read', `${toText(plan.entry.absolute)} changed size while it was read (${plan.entry.size} → ${plan.bytes} bytes): saved as read; the next generation will have it whole.`, toText(plan.entry.absolute));
				plan.entry.size = plan.bytes;
			}
		}

		// Followers of a dropped hardlink leader stand alone with its content (none): drop them too.
		const droppedPaths = new Set([...dropped].map(entry => entry.path));
		const entries: Entry[] = [];
		let files = 0;
		let dirs = 0;
		let links = 0;
		let bytes = 0;
		for (const entry of walked.entries) {
			if (dropped.has(entry) || (entry.type === 'hardlink' && droppedPaths.has(entry.target!))) {
				continue;
			}

			// Walk-only fields (absolute, dev, nlink) ride along: the manifest encoder ignores them.
			entries.push(entry);
			if (entry.type === 'file' || entry.type === 'hardlink') {
				files++;
				bytes += entry.size;
			} else if (entry.type === 'dir') {
				dirs++;
			} else {
				links++;
			}
		}

		await testSeam('backup:packs-written');
		// The read phase's chunk buffers are garbage now; free them before building the manifest.
		collectGarbage();
		reporter.setPhase('seal', 'Sealing the generation');
		const writtenFiles: string[] = packs.map(pack => packPath(repository.layout, pack.packId));
		if (packs.length > 0) {
			const indexId = await repository.writeIndex(packs);
			writtenFiles.push(indexPath(repository.layout, indexId));
		}

		const absoluteByPath = new Map(walked.entries.map(entry => [entry.path, entry.absolute]));
		const sentinel = options.sentinel
			? await options.sentinel({
				previous: previousEntries,
				current: entries,
				absoluteOf: path => absoluteByPath.get(path),
				async readFile(path) {
					const absolute = absoluteByPath.get(path);
					return absolute === undefined ? undefined : fs.readFile(toBuffer(absolute)).catch(() => undefined);
				},
			})
			: undefined;

		await testSeam('backup:before-seal');
		const time = options.now ?? new Date();
		const generation = await sealGeneration(repository.layout, repository.sealer, repository.id, {
			format: 1,
			repositoryId: repository.id,
			seq: (generations.at(-1)?.seq ?? 0) + 1,
			time: time.toISOString(),
			host: os.hostname(),
			sources: walked.roots,
			previous: latest?.id,
			totals: {
				files,
				dirs,
				symlinks: links,
				bytes,
				newBytes,
				storedBytes: packWriter.bytesWritten,
				newBlobs,
				durationMs: Math.round(reporter.elapsedMs),
				warnings: reporter.warnings,
			},
			tags: options.tags ?? [],
			...(sentinel ? {sentinel} : {}),
		}, entries);
		writtenFiles.push(generationPath(repository.layout, generation.id));
		reporter.currentPath = undefined;
		reporter.emitProgress();
		return {
			generation,
			previous: parent,
			writtenFiles,
			changedFiles: plans.length - dropped.size,
			reusedFiles,
			warnings: reporter.warnings,
			reusedLeftoverPacks: loaded.unindexedPacks.length,
		};
	} catch (error) {
		await writer?.abandon();
		if (signal?.aborted) {
			throw cancelledError();
		}

		throw isSedaiError(error) ? error : describeIoError(error, what);
	} finally {
		signal?.removeEventListener('abort', onAbort);
		reporter.stop();
		await pool?.close();
		await lock.release().catch(() => undefined);
	}
}

function allPresent(entry: Entry, index: {has: (id: Uint8Array) => boolean}): boolean {
	const count = chunkCount(entry);
	for (let i = 0; i < count; i++) {
		if (!index.has(chunkId(entry, i))) {
			return false;
		}
	}

	return true;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
