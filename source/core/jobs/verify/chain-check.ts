import {listGenerationIds, listTombstones, shortId, type GenerationInfo, type Tombstone} from '../../repository/generations.js';
import {readChainHead, tombstoneIsGenuine, type ChainHead} from '../../repository/chain-head.js';
import type {Repository} from '../../repository/repository.js';

/**
 * The chain's ends: the authenticated head must name a generation that is here (or pruned by
 * Sedai), every prune record must carry Sedai's seal, and the newest generation this computer
 * saw on the repository before (the operations layer's anchor) must still be here. Deleting the
 * newest generations, all of them, or hiding a deletion behind a hand-written prune record is
 * then damage, not a shorter history.
 */
export type ChainAnchor = {seq: number; id: string};

export type ChainProblem = {kind: 'chain'; message: string; generation?: string};

export type ChainCheck = {
	problems: ChainProblem[];
	notes: string[];
	/** Prune records Sedai wrote: the only ones that excuse a missing generation. */
	tombstones: Map<string, Tombstone>;
	head: ChainHead | undefined;
};

export async function checkChain(repository: Repository, generations: GenerationInfo[], anchor: ChainAnchor | undefined): Promise<ChainCheck> {
	const problems: ChainProblem[] = [];
	const notes: string[] = [];
	const reading = await readChainHead(repository);
	const head = reading.state === 'valid' ? reading.head : undefined;
	const tombstones = new Map<string, Tombstone>();
	let sealedTombstones = 0;
	for (const [id, tombstone] of await listTombstones(repository.layout)) {
		if ('mac' in tombstone) {
			sealedTombstones++;
		}

		if (tombstoneIsGenuine(repository, tombstone, head)) {
			tombstones.set(id, tombstone);
		} else {
			problems.push({kind: 'chain', generation: id, message: `The prune record pruned/${id}.json was not written by Sedai (it does not match its seal): generation ${shortId(id)} (#${tombstone.seq}) was deleted outside Sedai.`});
		}
	}

	const present = new Set(await listGenerationIds(repository.layout));
	const accounted = (id: string) => present.has(id) || tombstones.has(id);
	if (reading.state === 'damaged') {
		problems.push({kind: 'chain', message: `The chain head record (chain-head.json) ${reading.reason}: which generation is the newest cannot be confirmed; the next backup writes a new one.`});
	} else if (reading.state === 'absent') {
		if (sealedTombstones > 0) {
			problems.push({kind: 'chain', message: 'The chain head record (chain-head.json) is missing although Sedai wrote one here: it was deleted outside Sedai, and the newest generations may be gone with it.'});
		} else if (generations.length > 0) {
			notes.push('This repository has no chain head record yet (made by an older Sedai): the next backup writes one.');
		}
	} else if (!accounted(reading.head.id)) {
		problems.push({kind: 'chain', generation: reading.head.id, message: `The newest generation ${shortId(reading.head.id)} (#${reading.head.seq}, ${reading.head.time}) is gone without a prune record: it was deleted outside Sedai, or this is an older copy of the medium.`});
	} else if ((generations.at(-1)?.seq ?? 0) > reading.head.seq) {
		notes.push(`Generation #${generations.at(-1)!.seq} is newer than the chain head (#${reading.head.seq}): a backup ended between sealing and recording the head; the next backup records it.`);
	}

	if (anchor && anchor.id !== head?.id && !accounted(anchor.id)) {
		problems.push({kind: 'chain', generation: anchor.id, message: `This computer last saw generation ${shortId(anchor.id)} (#${anchor.seq}) as the newest on this repository, and it is gone without a prune record: the chain went backwards (generations deleted, or an older copy of the medium). If an older copy was put back on purpose, run \`sedai repair --repo ${repository.root} --accept-rollback\`.`});
	}

	return {problems, notes, tombstones, head};
}
