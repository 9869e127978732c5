import {lstatSync, mkdirSync} from 'node:fs';
import {SedaiError} from '../../errors.js';
import {eventLoopTurns} from '../../event-loop-turns.js';
import {dirname, toBuffer, toText, type BytePath} from '../../byte-path.js';
import type {RestorePlan} from './plan.js';

/**
 * Creates the folders of restored paths under `base`, parents first, each checked to be a real
 * folder (not a symlink planted to redirect a write). Created 0700; their own modes come last.
 */
export class FolderMaker {
	private readonly verified = new Set<BytePath>(['']);

	constructor(private readonly base: BytePath) {}

	/** The folder that will hold `relative`. */
	parentOf(relative: BytePath): void {
		this.folder(dirname(relative));
	}

	folder(relative: BytePath): void {
		if (this.verified.has(relative)) {
			return;
		}

		this.folder(dirname(relative));
		const absolute = toBuffer(`${this.base}/${relative}`);
		try {
			mkdirSync(absolute, {mode: 0o700});
		} catch (error) {
			if ((error as {code?: string}).code !== 'EEXIST') {
				throw error;
			}
		}

		if (!lstatSync(absolute).isDirectory()) {
			throw new SedaiError('unsafe-path', `${toText(`${this.base}/${relative}`)} exists and is not a folder (maybe a symlink): restore into an empty folder instead.`);
		}

		this.verified.add(relative);
	}
}

/**
 * Every folder of a plan not made yet: all of them before --force unlinks anything, else, after
 * the files (whose folders were made as each was sent), the empty ones and those of links.
 */
export async function makeFolders(plan: RestorePlan, folders: FolderMaker): Promise<void> {
	// Synchronous calls are fast, but 4,400 folders are half a second the console must not freeze for.
	const turn = eventLoopTurns();
	for (const entry of plan.directories) {
		await turn();
		folders.folder(entry.path);
	}

	for (const entry of [...plan.files.map(file => file.entry), ...plan.hardlinks, ...plan.symlinks]) {
		await turn();
		folders.parentOf(entry.path);
	}
}
