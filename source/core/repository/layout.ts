import path from 'node:path';

/**
 * Where things live inside a repository folder. Few files per folder and 2-hex fan-out keep
 * FAT/exFAT/NTFS cartridges fast; nothing here depends on the medium's device name.
 */
export const repositoryFile = 'sedai-repository.json';

export type Layout = {
	root: string;
	config: string;
	data: string;
	index: string;
	generations: string;
	tombstones: string;
	locks: string;
	tmp: string;
	verifications: string;
};

export function layoutOf(root: string): Layout {
	return {
		root,
		config: path.join(root, repositoryFile),
		data: path.join(root, 'data'),
		index: path.join(root, 'index'),
		generations: path.join(root, 'generations'),
		tombstones: path.join(root, 'pruned'),
		locks: path.join(root, 'locks'),
		tmp: path.join(root, 'tmp'),
		verifications: path.join(root, 'verifications'),
	};
}

export function packPath(layout: Layout, packId: string): string {
	return path.join(layout.data, packId.slice(0, 2), packId);
}

export function indexPath(layout: Layout, indexId: string): string {
	return path.join(layout.index, indexId);
}

export const generationSuffix = '.gen';

export function generationPath(layout: Layout, generationId: string): string {
	return path.join(layout.generations, generationId + generationSuffix);
}
