import fs from 'node:fs/promises';
import {basename, toBuffer, toText, type BytePath} from '../byte-path.js';
import type {Entry, SentinelVerdict} from '../repository/manifest.js';
import type {SentinelInput} from '../jobs/backup/seal.js';
import type {SentinelThresholds} from './site-policy.js';
import {sampleEntropy, sentinelSample} from './entropy.js';
import {extensionsOf, isCompressedType, lastExtension, isKnownRansomExtension, isTextType, looksRandomExtension, ransomNoteName} from './file-kinds.js';

/**
 * The ransomware sentinel: before a generation is sealed, compare it with the previous one. Mass
 * renames, deletions and rewrites, a new extension on many files, ransom-note names and text
 * files whose new content reads like random bytes are what encryption malware leaves behind; an
 * ordinary clinic day (a few edited notes, new scans, the database dump rewritten in place) is
 * none of these. Past a threshold the generation is still sealed, but marked suspect with reasons
 * that each start with a stable code (`renamed: …`).
 */
export type SentinelReasonCode = 'changed' | 'deleted' | 'renamed' | 'new-extension' | 'random-extension' | 'ransom-note' | 'entropy';

export type SentinelOptions = {
	/** Most changed files whose content is sampled (default 200). */
	sampleFiles?: number;
	/** Bytes read from the start of each sampled file (default 4096). */
	sampleBytes?: number;
};

/** Share-based reasons need at least this many files: 2 of 5 changed files is not an attack. */
export const minimumCount = 10;
/** Sampled high-entropy text files needed before the estimate counts (the dump can be one). */
const minimumHighSamples = 5;

export function reasonCode(reason: string): SentinelReasonCode | undefined {
	const code = /^([a-z-]+):/.exec(reason)?.[1];
	return code as SentinelReasonCode | undefined;
}

export function sentinelFor(thresholds: SentinelThresholds, options: SentinelOptions = {}): (input: SentinelInput) => Promise<SentinelVerdict> {
	return async input => assessGeneration(input, thresholds, options);
}

/** `arrived`: a name the previous generation did not have (added, or renamed to). */
type Change = {path: BytePath; entry: Entry; originalPath?: BytePath; arrived?: boolean};

function contentKey(entry: Entry): string | undefined {
	return entry.size > 0 && entry.chunks ? `${entry.size}:${entry.chunks.toString('base64')}` : undefined;
}

function sameContent(a: Entry, b: Entry): boolean {
	return a.size === b.size && Boolean(a.chunks && b.chunks && a.chunks.equals(b.chunks));
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) {
		list.push(value);
	} else {
		map.set(key, [value]);
	}
}

function percent(share: number): string {
	return `${Math.round(share * 100)}%`;
}

function example(paths: string[]): string {
	return paths.length > 0 ? `, e.g. ${paths.slice(0, 2).join(', ')}` : '';
}

export async function assessGeneration(input: SentinelInput, thresholds: SentinelThresholds, options: SentinelOptions = {}): Promise<SentinelVerdict> {
	const files = (entries: Entry[]) => entries.filter(entry => entry.type === 'file');
	const current = files(input.current);
	const previous = input.previous ? files(input.previous) : undefined;
	const reasons: string[] = [];
	// Files in folders both generations hold unchanged: in neither list, counted on both sides.
	const unchangedFiles = input.unchanged?.files ?? 0;
	const measures: Record<string, number> = {currentFiles: current.length + unchangedFiles};

	// Lists can hold a million entries: build them by assignment or loops, never `push(...list)`
	// (spread arguments live on the stack and overflow it past ~125,000).
	let added: Change[] = [];
	const modified: Change[] = [];
	const renamedWithNewContent: Change[] = [];
	let moved = 0;
	let deleted = 0;
	let knownExtensions: Set<string> | undefined;
	if (previous) {
		const before = new Map(previous.map(entry => [entry.path, entry]));
		const now = new Set(current.map(entry => entry.path));
		for (const entry of current) {
			const old = before.get(entry.path);
			if (!old) {
				added.push({path: entry.path, entry, arrived: true});
			} else if (!sameContent(old, entry)) {
				modified.push({path: entry.path, entry});
			}
		}

		const gone = previous.filter(entry => !now.has(entry.path));
		const goneByContent = new Map<string, Entry[]>();
		const gonePaths = goneIndex(gone.map(entry => entry.path));
		for (const entry of gone) {
			const key = contentKey(entry);
			if (key) {
				append(goneByContent, key, entry);
			}
		}

		// Renames: the same content under a new name, or the old name plus new extension(s).
		const paired = new Set<BytePath>();
		const stillAdded: Change[] = [];
		for (const change of added) {
			const key = contentKey(change.entry);
			const source = key ? goneByContent.get(key)?.find(entry => !paired.has(entry.path)) : undefined;
			if (source) {
				paired.add(source.path);
				moved++;
				continue;
			}

			const original = originalOf(change.path, gonePaths, paired);
			if (original === undefined) {
				stillAdded.push(change);
			} else {
				paired.add(original);
				renamedWithNewContent.push({...change, originalPath: original});
			}
		}

		added = stillAdded;
		deleted = gone.length - paired.size;
		const previousFiles = previous.length + unchangedFiles;
		const base = Math.max(1, previousFiles);
		const renamed = moved + renamedWithNewContent.length;
		Object.assign(measures, {
			previousFiles,
			added: added.length,
			modified: modified.length,
			deleted,
			renamed,
			changedShare: modified.length / base,
			deletedShare: deleted / base,
			renamedShare: renamed / base,
		});
		const shareReason = (code: SentinelReasonCode, verb: string, count: number, share: number, threshold: number, examples: () => string[]) => {
			if (count >= minimumCount && share > threshold) {
				reasons.push(`${code}: ${percent(share)} of the files were ${verb} since the previous generation (${count} of ${previousFiles}; threshold ${percent(threshold)})${example(examples())}.`);
			}
		};

		shareReason('changed', 'rewritten', modified.length, modified.length / base, thresholds.changedShare, () => modified.slice(0, 2).map(change => toText(change.path)));
		shareReason('deleted', 'deleted', deleted, deleted / base, thresholds.deletedShare, () => gone.filter(entry => !paired.has(entry.path)).slice(0, 2).map(entry => toText(entry.path)));
		shareReason('renamed', 'renamed', renamed, renamed / base, thresholds.renamedShare, () => renamedWithNewContent.slice(0, 2).map(change => `${toText(change.originalPath!)} → ${toText(basename(change.path))}`));

		// Extensions that did not exist before, arriving on many files at once.
		// (Only worth collecting when something arrived: most nights nothing new is named.)
		knownExtensions = added.length + renamedWithNewContent.length > 0 ? new Set([...previous.map(entry => lastExtension(entry.path)), ...input.unchanged?.extensions ?? []]) : new Set();
		const fresh = new Map<string, string[]>();
		for (const change of [...added, ...renamedWithNewContent]) {
			const extension = lastExtension(change.path);
			if (extension !== '' && !knownExtensions.has(extension)) {
				append(fresh, extension, toText(change.path));
			}
		}

		let newExtensionFiles = 0;
		let randomExtensionFiles = 0;
		const randomExamples: string[] = [];
		for (const [extension, paths] of fresh) {
			const bulk = isKnownRansomExtension(extension) ? Math.min(5, thresholds.newExtensionFiles) : thresholds.newExtensionFiles;
			if (paths.length >= Math.max(1, bulk)) {
				newExtensionFiles += paths.length;
				reasons.push(`new-extension: ${paths.length} file(s) appeared with the new extension .${extension}${isKnownRansomExtension(extension) ? ', one ransomware uses' : ''} (threshold ${bulk} files)${example(paths)}.`);
			} else if (paths.length <= 2 && looksRandomExtension(extension)) {
				randomExtensionFiles += paths.length;
				for (const path of paths) {
					randomExamples.push(path);
				}
			}
		}

		measures['newExtensionFiles'] = newExtensionFiles;
		measures['randomExtensionFiles'] = randomExtensionFiles;
		if (randomExtensionFiles >= Math.max(minimumCount, Math.min(thresholds.newExtensionFiles, Math.ceil(previousFiles * 0.05)))) {
			reasons.push(`random-extension: ${randomExtensionFiles} file(s) got a random-looking extension of their own${example(randomExamples)}.`);
		}
	} else {
		added = current.map(entry => ({path: entry.path, entry, arrived: true}));
	}

	// Ransom notes: any new file named like one is enough.
	const notes = [...added, ...renamedWithNewContent].filter(change => ransomNoteName(toText(basename(change.path)))).map(change => toText(change.path));
	measures['ransomNotes'] = notes.length;
	if (notes.length > 0) {
		reasons.push(`ransom-note: ${notes.length} file(s) named like a ransom note appeared${example(notes)}.`);
	}

	await assessEntropy({input, thresholds, options, knownExtensions, candidates: [...modified, ...renamedWithNewContent, ...added], reasons, measures});
	return {suspect: reasons.length > 0, reasons, measures};
}

type Gone = {paths: Set<BytePath>; byStem: Map<BytePath, BytePath[]>};

/** Removed paths, also by folder + name before the first dot, for re-extension lookups. */
function goneIndex(paths: BytePath[]): Gone {
	const byStem = new Map<BytePath, BytePath[]>();
	for (const path of paths) {
		const stem = stemOf(path);
		if (stem !== undefined) {
			append(byStem, stem, path);
		}
	}

	return {paths: new Set(paths), byStem};
}

function stemOf(path: BytePath): BytePath | undefined {
	const name = basename(path);
	const firstDot = name.indexOf('.');
	return firstDot > 0 ? path.slice(0, path.length - name.length + firstDot) : undefined;
}

/** A removed path this added path extends (`a.txt` → `a.txt.locked`) or re-extends (`a.docx` → `a.crypt`). */
function originalOf(path: BytePath, gone: Gone, paired: Set<BytePath>): BytePath | undefined {
	const name = basename(path);
	const prefix = path.slice(0, path.length - name.length);
	for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
		const stem = prefix + name.slice(0, dot);
		if (gone.paths.has(stem) && !paired.has(stem)) {
			return stem;
		}
	}

	const stem = stemOf(path);
	return stem === undefined ? undefined : gone.byStem.get(stem)?.find(candidate => !paired.has(candidate));
}

type EntropyContext = {
	input: SentinelInput;
	thresholds: SentinelThresholds;
	options: SentinelOptions;
	/** Last extensions seen in the previous generation (none for a first generation). */
	knownExtensions: Set<string> | undefined;
	candidates: Change[];
	reasons: string[];
	measures: Record<string, number>;
};

/** Text-like files (by their own or their original extension) whose new content is near-random. */
async function assessEntropy(context: EntropyContext): Promise<void> {
	const {input, thresholds, options, candidates, reasons, measures} = context;
	const {knownExtensions} = context;
	const expectedLow = candidates.filter(change => {
		if (change.entry.size < 256) {
			return false;
		}

		const own = extensionsOf(toText(basename(change.path)));
		const original = change.originalPath ? extensionsOf(toText(basename(change.originalPath))) : [];
		if ([...own, ...original].some(extension => isTextType(extension))) {
			return true;
		}

		const last = own.at(-1) ?? '';
		// A type never seen at this site before, and not a known compressed format, is judged as text.
		return change.arrived === true && knownExtensions !== undefined && last !== '' && !knownExtensions.has(last) && !isCompressedType(last);
	});
	const limit = options.sampleFiles ?? 200;
	const step = expectedLow.length > limit ? expectedLow.length / limit : 1;
	const sample: Change[] = [];
	for (let at = 0; at < expectedLow.length && sample.length < limit; at += step) {
		sample.push(expectedLow[Math.floor(at)]);
	}

	let high = 0;
	let sum = 0;
	let measured = 0;
	const examples: string[] = [];
	for (const change of sample) {
		const bits = await entropyOf(input, change.path, options.sampleBytes ?? sentinelSample.bytes);
		if (bits === undefined) {
			continue;
		}

		measured++;
		sum += bits;
		if (bits >= thresholds.entropyBitsPerByte) {
			high++;
			examples.push(toText(change.path));
		}
	}

	const estimated = measured > 0 ? Math.round((high / measured) * expectedLow.length) : 0;
	Object.assign(measures, {
		entropyCandidates: expectedLow.length,
		entropySampled: measured,
		highEntropySampled: high,
		highEntropyEstimated: estimated,
		meanEntropy: measured > 0 ? Math.round((sum / measured) * 100) / 100 : 0,
	});
	if (high >= minimumHighSamples && estimated >= minimumCount) {
		reasons.push(`entropy: about ${estimated} changed file(s) of text or new types now look encrypted (${high} of ${measured} sampled at ≥ ${thresholds.entropyBitsPerByte} bits/byte; a clinic document is about 5)${example(examples)}.`);
	}
}

/** Measured while the backup read the file, else from a sample read now (large files, tests). */
async function entropyOf(input: SentinelInput, path: BytePath, length: number): Promise<number | undefined> {
	const known = input.entropyOf?.(path);
	if (known !== undefined) {
		return known;
	}

	const bytes = await readSample(input, path, length);
	return bytes && bytes.length >= sentinelSample.minimum ? sampleEntropy(bytes) : undefined;
}

/** The first few KB only: a sample must stay cheap on a 600 MB dump. */
async function readSample(input: SentinelInput, path: BytePath, length: number): Promise<Buffer | undefined> {
	const absolute = input.absoluteOf(path);
	if (absolute !== undefined) {
		try {
			const handle = await fs.open(toBuffer(absolute), 'r');
			try {
				const buffer = Buffer.alloc(length);
				const {bytesRead} = await handle.read(buffer, 0, length, 0);
				return buffer.subarray(0, bytesRead);
			} finally {
				await handle.close();
			}
		} catch {
			return undefined;
		}
	}

	const whole = await input.readFile(path);
	return whole?.subarray(0, length);
}
