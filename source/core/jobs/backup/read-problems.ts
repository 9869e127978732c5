import {toText, type BytePath} from '../../byte-path.js';
import type {ProgressReporter} from '../progress.js';
import type {ReadWork} from './chunk.js';

/**
 * Read problems: a file that vanished, could not be read or changed size while read, said once
 * for every repository (the read was shared). A file not read is left out of the generation.
 */
export function noteReadProblems(work: ReadWork, absolute: BytePath, dropped: Set<BytePath>, reporter: ProgressReporter): void {
	if (work.failed) {
		const vanished = work.failed.startsWith('ENOENT');
		reporter.warn(vanished ? 'vanished' : 'unreadable', vanished
			? `${toText(absolute)} disappeared while the backup ran: not in this generation.`
			: `Could not read ${toText(absolute)} (${work.failed}): not in this generation.`, toText(absolute));
		dropped.add(work.source.path);
	} else if (work.bytes !== work.source.size) {
		reporter.warn('changed-while-read', `${toText(absolute)} changed size while it was read (${work.source.size} → ${work.bytes} bytes): saved as read; the next generation will have it whole.`, toText(absolute));
	}
}
