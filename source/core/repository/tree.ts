import {basename, compareBytes, dirname, pathDepth, type BytePath} from '../byte-path.js';
import {SedaiError} from '../errors.js';
import {eventLoopTurns} from '../event-loop-turns.js';
import type {BlobLocation} from './blob-index.js';
import {decodeBlob} from './blob-codec.js';
import {packPath, type Layout} from './layout.js';
import type {Entry} from './manifest.js';
import {decodeTree, encodeTree, type TreeNode} from './tree-codec.js';
import {PackBlocks} from './pack-blocks.js';
import {folderPrint} from './walk-print.js';

/**
 * Format-2 file trees: one content-addressed tree blob per folder, stored in packs of their own
 * beside the data packs. A generation names only its root tree;
 * everything below is reached through subtree ids.
 */
export type StoreTree = (plain: Buffer) => Promise<Buffer>;

/** A folder's tree in a generation: its id and how many children it lists. */
export type FolderTree = {id: Buffer; count: number};

/**
 * Folders whose parent-generation tree may be kept (see jobs/backup/unchanged-folders.ts). A
 * `whole` one matched by its walk print: nothing below it was looked up, and nothing is built.
 */
export type ReusableFolder = FolderTree & {unchanged: boolean; whole?: boolean; print?: Buffer};
export type ReusableFolders = ReadonlyMap<BytePath, ReusableFolder>;

/**
 * Build every folder's tree bottom-up from path-sorted entries; returns the root tree's id.
 * `onFolder` hears each folder's tree id (the sentinel skips folders the parent has unchanged).
 * A folder's tree nodes are made only while it is encoded: 200,000 entries never exist twice.
 * Each subfolder's node gets its walk print, made from the entries as stored.
 */
export async function buildTrees(entries: Entry[], store: StoreTree, onFolder?: (path: BytePath, id: Buffer) => void, reusable?: ReusableFolders): Promise<Buffer> {
	const children = new Map<BytePath, Entry[]>([['', []]]);
	const folders = new Set<BytePath>();
	const childrenOf = (folder: BytePath): Entry[] => {
		let list = children.get(folder);
		if (!list) {
			list = [];
			children.set(folder, list);
		}

		return list;
	};

	for (const entry of entries) {
		childrenOf(dirname(entry.path)).push(entry);
		if (entry.type === 'dir') {
			folders.add(entry.path);
			childrenOf(entry.path);
		}
	}

	const implicit = addImplicitFolders(children, folders, childrenOf);
	const inside = insideWholeFolders(folders, reusable);
	// Deepest first, so every folder's subtrees have their ids before the folder is encoded.
	const order = [...folders].filter(folder => !inside.has(folder)).sort((a, b) => pathDepth(b) - pathDepth(a));
	const subtrees = new Map<BytePath, Buffer>();
	const prints = new Map<BytePath, Buffer>();
	const encodeFolder = async (folder: BytePath) => {
		const list = children.get(folder)!;
		const known = reusable?.get(folder);
		const print = known?.whole ? known.print : folderPrint(list, path => prints.get(path));
		const id = kept(known, list, subtrees, reusable) ?? await store(encodeTree(list.map(entry => nodeOf(entry, subtrees.get(entry.path), implicit.has(entry.path), prints.get(entry.path)))));
		for (const entry of list) {
			subtrees.delete(entry.path);
			prints.delete(entry.path);
		}

		children.delete(folder);
		if (print && !implicit.has(folder)) {
			prints.set(folder, print);
		}

		return id;
	};

	const turn = eventLoopTurns();
	for (const folder of order) {
		await turn();
		const id = await encodeFolder(folder);
		subtrees.set(folder, id);
		onFolder?.(folder, id);
	}

	return encodeFolder('');
}

/** Folders below a whole-kept one: their trees are the parent generation's, never built. */
function insideWholeFolders(folders: Set<BytePath>, reusable: ReusableFolders | undefined): Set<BytePath> {
	const inside = new Set<BytePath>();
	if (!reusable) {
		return inside;
	}

	for (const folder of [...folders].sort((a, b) => pathDepth(a) - pathDepth(b))) {
		const parent = dirname(folder);
		if (inside.has(parent) || reusable.get(parent)?.whole) {
			inside.add(folder);
		}
	}

	return inside;
}

/**
 * The parent generation's tree id for a folder found unchanged, after the last checks: no child
 * was added (a stream) or left out (unreadable) since, and every subfolder kept its own tree. A
 * folder kept whole by its walk print had nothing below it read, added or left out.
 */
function kept(known: ReusableFolder | undefined, list: Entry[], subtrees: Map<BytePath, Buffer>, reusable: ReusableFolders | undefined): Buffer | undefined {
	if (known?.whole) {
		return known.id;
	}

	if (!known?.unchanged || list.length !== known.count) {
		return undefined;
	}

	for (const entry of list) {
		if (entry.type === 'dir') {
			const before = reusable!.get(entry.path)?.id;
			const now = subtrees.get(entry.path);
			if (!before || !now?.equals(before)) {
				return undefined;
			}
		}
	}

	return known.id;
}

/** Entries whose parent folder was never walked (a stream's folders) still need a tree to sit in. */
function addImplicitFolders(children: Map<BytePath, Entry[]>, folders: Set<BytePath>, childrenOf: (folder: BytePath) => Entry[]): Set<BytePath> {
	const implicit = new Set<BytePath>();
	for (const folder of children.keys()) {
		let missing = folder;
		while (missing !== '' && !folders.has(missing)) {
			folders.add(missing);
			implicit.add(missing);
			childrenOf(dirname(missing)).push({path: missing, type: 'dir', mode: 0o700, uid: 0, gid: 0, mtimeNs: 0n, size: 0});
			missing = dirname(missing);
		}
	}

	return implicit;
}

function nodeOf(entry: Entry, subtree: Buffer | undefined, implicit: boolean, print: Buffer | undefined): TreeNode {
	const node: TreeNode = {name: basename(entry.path), type: entry.type, mode: entry.mode, uid: entry.uid, gid: entry.gid, mtimeNs: entry.mtimeNs, size: entry.type === 'file' || entry.type === 'hardlink' ? entry.size : 0};
	if (subtree) {
		node.subtree = subtree;
	}

	if (print) {
		node.print = print;
	}

	if (implicit) {
		node.implicit = true;
	}

	if (entry.chunks) {
		node.chunks = entry.chunks;
	}

	if (entry.sha256) {
		node.sha256 = entry.sha256;
	}

	if (entry.target !== undefined) {
		node.target = entry.target;
	}

	if (entry.ino !== undefined) {
		node.ino = entry.ino;
	}

	if (entry.ctimeNs !== undefined) {
		node.ctimeNs = entry.ctimeNs;
	}

	return node;
}

export function entryOf(node: TreeNode, path: BytePath): Entry {
	// One literal with every field, absent ones undefined: they live inside the object, not in a
	// property array added to each of a restore's 200,000 entries (≈ 65 B each).
	return {
		path,
		type: node.type,
		mode: node.mode,
		uid: node.uid,
		gid: node.gid,
		mtimeNs: node.mtimeNs,
		size: node.size,
		chunks: node.chunks,
		sha256: node.sha256,
		target: node.target,
		ino: node.ino,
		ctimeNs: node.ctimeNs,
	};
}

/** `fresh`: the first answer led nowhere (a pack pruned since), look again from the medium. */
export type LocateBlob = (id: Uint8Array, fresh: boolean) => Promise<BlobLocation | undefined>;

/** Reads tree blobs from their packs, keeping the most recently used few hundred decoded. */
export class TreeReader {
	private readonly cache = new Map<string, TreeNode[]>();
	private readonly packs = new PackBlocks();

	constructor(
		private readonly layout: Layout,
		private readonly key: Uint8Array | undefined,
		private readonly locate: LocateBlob,
		private readonly cacheSize = 256,
	) {}

	/** The folder's children; `what` names the generation in the error when the tree is damaged or gone. */
	async read(id: Buffer, what: string): Promise<TreeNode[]> {
		const hex = id.toString('hex');
		const cached = this.cache.get(hex);
		if (cached) {
			this.cache.delete(hex);
			this.cache.set(hex, cached);
			return cached;
		}

		const nodes = await this.load(id, what);
		this.cache.set(hex, nodes);
		if (this.cache.size > this.cacheSize) {
			this.cache.delete(this.cache.keys().next().value!);
		}

		return nodes;
	}

	private async load(id: Buffer, what: string): Promise<TreeNode[]> {
		try {
			return await this.loadFrom(id, await this.locate(id, false), what);
		} catch {
			return this.loadFrom(id, await this.locate(id, true), what);
		}
	}

	private async loadFrom(id: Buffer, location: BlobLocation | undefined, what: string): Promise<TreeNode[]> {
		if (!location) {
			throw new SedaiError('corrupt', `${what} is damaged: the list of one of its folders (tree ${id.toString('hex').slice(0, 12)}) is missing from the repository.`);
		}

		const stored = Buffer.alloc(location.length);
		try {
			const bytesRead = await this.packs.read(packPath(this.layout, location.packId), stored, location.offset);
			const plain = bytesRead === stored.length ? decodeBlob(this.key, id, stored, location.flags, location.rawLength) : undefined;
			if (!plain) {
				throw new SedaiError('corrupt', `${what} is damaged: the list of one of its folders (tree ${id.toString('hex').slice(0, 12)}) does not match its hash.`);
			}

			return decodeTree(plain);
		} catch (error) {
			throw error instanceof SedaiError ? error : new SedaiError('corrupt', `${what} is damaged: the list of one of its folders (tree ${id.toString('hex').slice(0, 12)}) cannot be read (${error instanceof Error ? error.message : String(error)}).`);
		}
	}
}

/** A folder whose subtree need not be read (its tree id is one the caller already has there). */
export type SkipFolder = (path: BytePath, subtree: Buffer) => boolean;

/**
 * Every entry of a generation (path-sorted, as format 1 lists them) and the ids of every tree it
 * uses; below a folder `skip` accepts, nothing is read (`skipped` lists those folders).
 */
export async function readAllEntries(reader: TreeReader, root: Buffer, what: string, skip?: SkipFolder): Promise<{entries: Entry[]; treeIds: Buffer[]; skipped: BytePath[]}> {
	const entries: Entry[] = [];
	const skipped: BytePath[] = [];
	const treeIds = new Map<string, Buffer>();
	const stack: Array<{id: Buffer; prefix: BytePath}> = [{id: root, prefix: ''}];
	const turn = eventLoopTurns();
	while (stack.length > 0) {
		await turn();
		const {id, prefix} = stack.pop()!;
		treeIds.set(id.toString('hex'), id);
		for (const node of await reader.read(id, what)) {
			const path = prefix === '' ? node.name : `${prefix}/${node.name}`;
			if (!node.implicit) {
				entries.push(entryOf(node, path));
			}

			if (node.type === 'dir' && node.subtree) {
				if (skip?.(path, node.subtree)) {
					skipped.push(path);
				} else {
					stack.push({id: node.subtree, prefix: path});
				}
			}
		}
	}

	entries.sort((a, b) => compareBytes(a.path, b.path));
	return {entries, treeIds: [...treeIds.values()], skipped};
}

/**
 * The parent generation seen one folder at a time, for change detection: a folder's tree is read
 * only when a file in it is asked for, and only a few hundred folders stay decoded at once.
 */
export class TreeLookup {
	private readonly folders = new Map<BytePath, Map<BytePath, TreeNode> | undefined>();

	constructor(
		private readonly reader: TreeReader,
		private readonly root: Buffer,
		private readonly what: string,
		private readonly cacheSize = 256,
		/** A folder below the root that cannot be read: its files are read again, not reused. */
		private readonly onUnreadable?: (path: BytePath, error: unknown) => void,
	) {}

	/** Read the root folder now, so a generation whose file list is gone is found before use. */
	async probe(): Promise<void> {
		await this.folder('');
	}

	/** The parent's tree of the folder at this path, unless it lists a folder no walk made. */
	async tree(path: BytePath): Promise<FolderTree | undefined> {
		const id = path === '' ? this.root : (await this.folder(dirname(path)))?.get(basename(path))?.subtree;
		const folder = id ? await this.folder(path) : undefined;
		if (!id || !folder) {
			return undefined;
		}

		for (const node of folder.values()) {
			if (node.implicit) {
				return undefined;
			}
		}

		return {id, count: folder.size};
	}

	/** The node at this path in its folder's listing; the folder it names is not read. */
	async node(path: BytePath): Promise<TreeNode | undefined> {
		return path === '' ? undefined : (await this.folder(dirname(path)))?.get(basename(path));
	}

	/** The parent's entry at this generation path (the parent's own root names). */
	async get(path: BytePath): Promise<Entry | undefined> {
		const folder = await this.folder(dirname(path));
		const node = folder?.get(basename(path));
		return node ? entryOf(node, path) : undefined;
	}

	private async folder(path: BytePath): Promise<Map<BytePath, TreeNode> | undefined> {
		if (this.folders.has(path)) {
			const found = this.folders.get(path);
			this.folders.delete(path);
			this.folders.set(path, found);
			return found;
		}

		let id: Buffer | undefined = this.root;
		if (path !== '') {
			const parent = await this.folder(dirname(path));
			id = parent?.get(basename(path))?.subtree;
		}

		const folder = id ? await this.readFolder(id, path) : undefined;
		this.folders.set(path, folder);
		if (this.folders.size > this.cacheSize) {
			this.folders.delete(this.folders.keys().next().value!);
		}

		return folder;
	}

	private async readFolder(id: Buffer, path: BytePath): Promise<Map<BytePath, TreeNode> | undefined> {
		try {
			return new Map((await this.reader.read(id, this.what)).map(node => [node.name, node]));
		} catch (error) {
			if (path === '' || !this.onUnreadable) {
				throw error;
			}

			this.onUnreadable(path, error);
			return undefined;
		}
	}
}
