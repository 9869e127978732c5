import type {GenerationInfo} from '../../repository/generations.js';
import type {ChainHead} from '../../repository/chain-head.js';
import type {SourceRoot} from '../../repository/manifest.js';
import type {Repository} from '../../repository/repository.js';
import type {BlobIndex} from '../../repository/blob-index.js';
import {loadParent} from './plan.js';

/**
 * The parent is only a shortcut for change detection: when the newest generation of these
 * sources cannot be read, the next older readable one serves (or none: every file is read
 * again). The damage itself is verify's and repair's business; a backup must not be stopped by it.
 */
export async function loadReadableParent(repository: Repository, generations: GenerationInfo[], roots: SourceRoot[], index: BlobIndex, warn: (message: string) => void, damaged: Array<{id: string}> = []): Promise<Awaited<ReturnType<typeof loadParent>>> {
	const say = (skipped: string[], parent: GenerationInfo | undefined) => {
		noteSkipped(skipped, parent, repository.root, warn);
	};

	// A generation whose header is unreadable is not even listed; it may have been the parent.
	const skipped: string[] = damaged.map(({id}) => `${id.slice(0, 8)} (damaged)`);
	for (let at = generations.length - 1; at >= 0; at--) {
		const generation = generations[at];
		try {
			const found = await loadParent(repository, [generation], roots, index, warn);
			if (found.parent) {
				say(skipped, found.parent);
				return found;
			}
		} catch (error) {
			skipped.push(`${generation.shortId} (#${generation.seq}: ${error instanceof Error ? error.message : String(error)})`);
		}
	}

	say(skipped, undefined);
	return loadParent(repository, [], roots, index);
}

function noteSkipped(skipped: string[], parent: GenerationInfo | undefined, root: string, warn: (message: string) => void): void {
	if (skipped.length === 0) {
		return;
	}

	const instead = parent ? `changes are detected against generation ${parent.shortId} (#${parent.seq}) instead` : 'every file is read again';
	warn(`Generation ${skipped.join(', ')} cannot be read, so ${instead}; run \`sedai repair --repo ${root}\` to see what it lost.`);
}

/**
 * Where the new generation goes in the chain: numbered past both the newest readable generation
 * and the head, and linked to the head when the head's generation is unreadable or gone, so the
 * gap stays visible to verify instead of being papered over by a newer head.
 */
export function chainTip(generations: GenerationInfo[], head: ChainHead | undefined): {seq: number; id: string} | undefined {
	const latest = generations.at(-1);
	if (head && (!latest || head.seq >= latest.seq)) {
		return {seq: head.seq, id: head.id};
	}

	return latest ? {seq: latest.seq, id: latest.id} : undefined;
}
