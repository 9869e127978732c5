import {SedaiError} from '../../errors.js';
import {message} from '../../message.js';

/**
 * A write into the restore folder that failed because of that folder's disk (full, failing,
 * read-only) is the destination's fault, not the cartridge's: the whole restore stops with one
 * sentence naming the destination, instead of a list of "mismatches" that blames the generation.
 * Restore writes nowhere else, so ENOSPC, EDQUOT and EROFS are always the destination's; EIO only
 * when it names a path inside the destination (reading a pack can fail with EIO too).
 */
export function destinationError(error: {code?: string; path?: string}, into: string, fromWorker = false): SedaiError | undefined {
	const {code} = error;
	const where = error.path ? ` (${error.path})` : '';
	const parameters = {path: into, where: error.path ? message('error.where', {path: error.path}) : ''};
	switch (code) {
		case 'ENOSPC':
		case 'EDQUOT': {
			return new SedaiError('no-space', `No space left on the disk of the restore folder ${into}${where}: free space there or restore into a folder on a larger disk; the repository and its generations are fine, and what was restored so far is incomplete.`, {path: error.path}, message('error.restore-no-space', parameters));
		}

		case 'EROFS': {
			return new SedaiError('read-only', `The restore folder ${into} is on a read-only filesystem${where}: restore into a writable folder; the repository is fine.`, {path: error.path}, message('error.restore-read-only', parameters));
		}

		case 'EIO': {
			return fromWorker || isInside(error.path, into)
				? new SedaiError('io', `Input/output error writing the restore folder ${into}${where}: the destination disk may be failing; restore onto another disk. The repository is not at fault.`, {path: error.path}, message('error.restore-io', parameters))
				: undefined;
		}

		default: {
			return undefined;
		}
	}
}

/**
 * The same for a file a worker could not write, whose error arrives as "CODE: message": the
 * worker reads packs inside its own catch (a bad piece becomes a hole), so what it throws comes
 * from the destination, EIO included.
 */
export function destinationErrorOf(failed: string, into: string): SedaiError | undefined {
	const code = /^([A-Z]+): /.exec(failed)?.[1];
	return code ? destinationError({code}, into, true) : undefined;
}

function isInside(file: string | undefined, folder: string): boolean {
	return file !== undefined && (file === folder || file.startsWith(`${folder}/`));
}
