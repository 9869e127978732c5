import fs from 'node:fs/promises';
import path from 'node:path';
import type {Repository} from '../core/repository/repository.js';
import {generationPath, layoutOf, packPath, type Layout} from '../core/repository/layout.js';
import {listGenerationIds, shortId} from '../core/repository/generations.js';
import {listPackIds} from '../core/repository/pack.js';
import {chunkCount, chunkId} from '../core/repository/manifest.js';
import type {ProtectionState} from '../settings/state.js';
import {immutableUnavailable, protectFiles, readProtection, summarizeProtection, type ProtectOutcome} from './protect.js';
import {mediumOf, type MediumState} from './write-protect.js';

/**
 * Protection per generation: a generation is protected when its sealed file and the packs it
 * references are read-only or immutable, or when its medium is write-protected. With the
 * passphrase the packs are exactly those its files use; without it every pack is checked
 * (conservative: one writable pack marks every generation unprotected).
 */
export type GenerationProtection = {
	id: string;
	shortId: string;
	seq?: number;
	time?: string;
	protection: ProtectionState;
	note?: string;
	files: number;
	/** The packs were mapped through the manifest (passphrase given). */
	exact: boolean;
};

export async function sealedFiles(layout: Layout): Promise<string[]> {
	const generationIds = await listGenerationIds(layout);
	const indexNames = await fs.readdir(layout.index).catch(() => [] as string[]);
	const packIds = await listPackIds(layout);
	return [
		...generationIds.map(id => generationPath(layout, id)),
		...indexNames.filter(name => /^[\da-f]{32}$/.test(name)).map(name => path.join(layout.index, name)),
		...packIds.map(id => packPath(layout, id)),
	];
}

/** After a backup: protect what it wrote; never throws (the generation is sealed either way). */
export async function protectSealedFiles(files: string[]): Promise<ProtectOutcome> {
	try {
		return await protectFiles(files);
	} catch (error) {
		return {protection: 'none', note: `protection could not be applied: ${error instanceof Error ? error.message : String(error)}`, files: files.length, failed: files};
	}
}

export async function protectRepository(root: string): Promise<{outcome: ProtectOutcome; medium: MediumState}> {
	const medium = await mediumOf(root);
	if (medium.hardwareReadOnly || medium.mountReadOnly) {
		return {outcome: {protection: 'read-only', note: mediumNote(medium), files: 0, failed: []}, medium};
	}

	return {outcome: await protectFiles(await sealedFiles(layoutOf(root))), medium};
}

function mediumNote(medium: MediumState): string {
	return medium.hardwareReadOnly ? 'the medium is write-protected (switch on)' : 'the medium is mounted read-only';
}

/** Which files each generation needs: its sealed file and the packs holding its chunks. */
export async function generationFileMap(repository: Repository): Promise<Map<string, string[]>> {
	const {index} = await repository.loadIndex();
	const map = new Map<string, string[]>();
	for (const id of await listGenerationIds(repository.layout)) {
		const packs = new Set<string>();
		try {
			const {entries, treeIds} = await repository.readGeneration(id);
			for (const treeId of treeIds) {
				const location = index.get(treeId);
				if (location) {
					packs.add(location.packId);
				}
			}

			for (const entry of entries) {
				for (let chunk = 0; chunk < chunkCount(entry); chunk++) {
					const location = index.get(chunkId(entry, chunk));
					if (location) {
						packs.add(location.packId);
					}
				}
			}
		} catch {
			// A damaged generation is verify's business; its own file is still checked.
		}

		map.set(id, [generationPath(repository.layout, id), ...[...packs].sort().map(packId => packPath(repository.layout, packId))]);
	}

	return map;
}

export async function checkRepository(root: string, repository?: Repository): Promise<{generations: GenerationProtection[]; medium: MediumState}> {
	const layout = layoutOf(root);
	const medium = await mediumOf(root);
	const infos = new Map<string, {seq: number; time: string}>();
	let fileMap: Map<string, string[]>;
	if (repository) {
		fileMap = await generationFileMap(repository);
		const {generations: listed} = await repository.listGenerations();
		for (const info of listed) {
			infos.set(info.id, {seq: info.seq, time: info.time});
		}
	} else {
		const sealed = await sealedFiles(layout);
		const shared = sealed.filter(file => !file.endsWith('.gen'));
		const ids = await listGenerationIds(layout);
		fileMap = new Map(ids.map(id => [id, [generationPath(layout, id), ...shared]]));
	}

	const all = [...new Set([...fileMap.values()].flat())];
	const read = await readProtection(all);
	const states = new Map(read.map(state => [state.file, state]));
	const whyNot = await immutableUnavailable(root);
	const generations: GenerationProtection[] = [];
	for (const [id, files] of fileMap) {
		const summary = medium.hardwareReadOnly || medium.mountReadOnly
			? {protection: 'read-only' as const, note: mediumNote(medium)}
			: summarizeProtection(files.map(file => states.get(file)!), whyNot);
		const info = infos.get(id);
		generations.push({
			id,
			shortId: shortId(id),
			...(info ? {seq: info.seq, time: info.time} : {}),
			...summary,
			files: files.length,
			exact: Boolean(repository),
		});
	}

	generations.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.id.localeCompare(b.id));
	return {generations, medium};
}
