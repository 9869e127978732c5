import type {BytePath} from '../../byte-path.js';
import {chunkCount, chunkId} from '../../repository/manifest.js';
import {entryOf, type TreeReader} from '../../repository/tree.js';

/** What a tree walk reports back to verify: the trees and chunks it met, once each. */
export type TreeVisitor = {
	isDamaged: (chunk: Uint8Array) => boolean;
	onTree: (id: Buffer) => void;
	onChunk: (chunk: Uint8Array) => void;
};

/**
 * The damaged files under a format-2 tree, as paths relative to it. Generations share most of
 * their trees (an unchanged folder is the same blob), so each distinct tree is read and checked
 * once per verify run and remembered: thirty generations of the same archive cost about one
 * walk, not thirty. A tree that cannot be read throws, as reading the generation would.
 */
export async function damagedUnder(reader: TreeReader, id: Buffer, what: string, visitor: TreeVisitor, memo: Map<string, BytePath[]>): Promise<BytePath[]> {
	const hex = id.toString('hex');
	const known = memo.get(hex);
	if (known) {
		return known;
	}

	visitor.onTree(id);
	const damaged: BytePath[] = [];
	for (const node of await reader.read(id, what)) {
		if (node.type === 'dir' && node.subtree) {
			for (const path of await damagedUnder(reader, node.subtree, what, visitor, memo)) {
				damaged.push(`${node.name}/${path}`);
			}

			continue;
		}

		const entry = entryOf(node, node.name);
		let bad = false;
		for (let i = 0; i < chunkCount(entry); i++) {
			const chunk = chunkId(entry, i);
			visitor.onChunk(chunk);
			bad ||= visitor.isDamaged(chunk);
		}

		if (bad) {
			damaged.push(node.name);
		}
	}

	memo.set(hex, damaged);
	return damaged;
}
