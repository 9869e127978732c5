import fs from 'node:fs/promises';
import path from 'node:path';
import {createHash, createHmac, hkdfSync, timingSafeEqual} from 'node:crypto';
import {writeFileAtomic} from './atomic.js';
import {listTombstones, type Tombstone} from './generations.js';
import type {Layout} from './layout.js';

/**
 * The chain's head: which generation is the newest, kept next to the generations and
 * authenticated, so that deleting the newest generations (or all of them) is seen rather than
 * read as a shorter history. Prune records (`pruned/<id>.json`) carry the same kind of seal, so a
 * hand-written one cannot excuse a deletion. In an encrypted repository the seal is an
 * HMAC-SHA256 under a key derived from the master key; a plaintext repository has no secret, so
 * its seal only catches damage and careless edits (the operations layer adds a local anchor).
 */
export type ChainHead = {
	seq: number;
	id: string;
	time: string;
	/** Prune records written before heads existed: believed without a seal. */
	legacyPruned: string[];
};

export type ChainKeyed = {id: string; masterKey: Buffer | undefined; layout: Layout};

export type HeadReading = {state: 'absent'} | {state: 'damaged'; reason: string} | {state: 'valid'; head: ChainHead};

const headFile = 'chain-head.json';

export function chainHeadPath(layout: Layout): string {
	return path.join(layout.root, headFile);
}

function chainKey(repository: ChainKeyed): Buffer {
	return repository.masterKey
		? Buffer.from(hkdfSync('sha256', repository.masterKey, Buffer.alloc(0), `sedai-chain:${repository.id}`, 32))
		: createHash('sha256').update(`sedai-chain-plaintext:${repository.id}`).digest();
}

function macOf(repository: ChainKeyed, role: string, body: unknown): string {
	return createHmac('sha256', chainKey(repository)).update(`${role}\n${JSON.stringify(body)}`).digest('hex');
}

function sameMac(a: string, b: string): boolean {
	const left = Buffer.from(a, 'hex');
	const right = Buffer.from(b, 'hex');
	return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

export async function readChainHead(repository: ChainKeyed): Promise<HeadReading> {
	let text: string;
	try {
		text = await fs.readFile(chainHeadPath(repository.layout), 'utf8');
	} catch (error) {
		if ((error as {code?: string}).code === 'ENOENT') {
			return {state: 'absent'};
		}

		return {state: 'damaged', reason: (error as {code?: string}).code ?? String(error)};
	}

	try {
		const {mac, ...head} = JSON.parse(text) as ChainHead & {mac: string};
		if (typeof mac !== 'string' || !sameMac(mac, macOf(repository, 'head', head))) {
			return {state: 'damaged', reason: 'it does not match its seal'};
		}

		return {state: 'valid', head};
	} catch {
		return {state: 'damaged', reason: 'it is not readable'};
	}
}

/** After a generation is sealed: it becomes the head (never moves backwards). */
export async function writeChainHead(repository: ChainKeyed, generation: {seq: number; id: string; time: string}): Promise<void> {
	const before = await readChainHead(repository);
	if (before.state === 'valid' && before.head.seq > generation.seq) {
		return;
	}

	const legacyPruned = before.state === 'valid' ? before.head.legacyPruned : await unsealedPruneRecords(repository);
	const head: ChainHead = {seq: generation.seq, id: generation.id, time: generation.time, legacyPruned};
	const file = JSON.stringify({...head, mac: macOf(repository, 'head', head)}) + '\n';
	await writeFileAtomic(chainHeadPath(repository.layout), file, {tmpDirectory: repository.layout.tmp, mode: 0o644});
}

/** The prune record prune writes: the tombstone with its seal. */
export function sealedTombstone(repository: ChainKeyed, tombstone: Tombstone): string {
	return JSON.stringify({...tombstone, mac: macOf(repository, 'pruned', tombstone)}) + '\n';
}

export function tombstoneIsGenuine(repository: ChainKeyed, tombstone: Tombstone & {mac?: unknown}, head: ChainHead | undefined): boolean {
	const {mac, ...body} = tombstone;
	if (typeof mac === 'string') {
		return sameMac(mac, macOf(repository, 'pruned', body));
	}

	// Unsealed: from before heads existed, believed only when the first head listed it.
	return head === undefined || head.legacyPruned.includes(tombstone.id);
}

async function unsealedPruneRecords(repository: ChainKeyed): Promise<string[]> {
	const tombstones = await listTombstones(repository.layout);
	return [...tombstones.values()].filter(tombstone => !('mac' in tombstone)).map(tombstone => tombstone.id).sort();
}
