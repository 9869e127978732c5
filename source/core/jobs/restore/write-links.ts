import fs from 'node:fs/promises';
import {toBuffer, toText, type BytePath} from '../../byte-path.js';
import type {Entry} from '../../repository/manifest.js';
import {damagedSuffix} from './damaged.js';
import {applyMetadata, type MetadataPolicy} from './metadata.js';
import type {DamagedFile} from './types.js';

/**
 * Hardlinks, after their files are written; then symlinks, created as links (never followed)
 * after every write has happened, so no restored link can redirect a later write. A link whose
 * path another entry already took (a crafted manifest) is left out and reported.
 */
export type LinkContext = {
	base: BytePath;
	policy: MetadataPolicy;
	onConflict: (entry: Entry, error: unknown) => void;
};

/** Where each restored file's content is now, by its path in the generation. */
export type Leaders = Map<BytePath, {target: BytePath; damaged?: DamagedFile}>;

export async function writeHardlinks(entries: Entry[], leaders: Leaders, context: LinkContext & {taken: Set<BytePath>}): Promise<{created: Entry[]; damaged: DamagedFile[]}> {
	const created: Entry[] = [];
	const damaged: DamagedFile[] = [];
	for (const entry of entries) {
		const leader = leaders.get(entry.target!);
		if (!leader) {
			context.onConflict(entry, Object.assign(new Error('its first link was not restored'), {code: 'ENOENT'}));
			continue;
		}

		// A link to a damaged file is as damaged as the file: marked the same way.
		const marked = leader.damaged && leader.damaged.savedAs !== leader.damaged.path;
		const relative = marked ? freeName(`${entry.path}${damagedSuffix}`, context.taken) : entry.path;
		try {
			await fs.link(toBuffer(leader.target), toBuffer(`${context.base}/${relative}`));
		} catch (error) {
			context.onConflict(entry, error);
			continue;
		}

		created.push(entry);
		if (leader.damaged) {
			damaged.push({path: toText(entry.path), savedAs: toText(relative), missing: leader.damaged.missing});
		}
	}

	return {created, damaged};
}

function freeName(wanted: BytePath, taken: Set<BytePath>): BytePath {
	let name = wanted;
	for (let n = 2; taken.has(name); n++) {
		name = `${wanted}-${n}`;
	}

	taken.add(name);
	return name;
}

export async function writeSymlinks(entries: Entry[], context: LinkContext): Promise<Entry[]> {
	const created: Entry[] = [];
	for (const entry of entries) {
		const target = `${context.base}/${entry.path}`;
		try {
			await fs.symlink(toBuffer(entry.target!), toBuffer(target));
		} catch (error) {
			context.onConflict(entry, error);
			continue;
		}

		created.push(entry);
		applyMetadata(target, entry, 'symlink', context.policy);
	}

	return created;
}
