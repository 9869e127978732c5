import {startJournal, type JobJournal, type JournalOptions} from '../../settings/job-journal.js';
import type {OperationKind} from './events.js';

/**
 * Where operations write their job journals (`sedai monitor` reads them). Quick actions
 * (init, eject, insert, unlock) are not journalled: the monitor shows jobs, and 50 kept journals
 * should not be pushed out by them.
 */
export type Journals = {
	start(info: {jobId: string; kind: OperationKind; label: string; repository?: string; detail?: string}): JobJournal | undefined;
};

const journalled = new Set<OperationKind>(['backup', 'verify', 'restore', 'drill', 'prune', 'protect', 'repair']);

export function fileJournals(options: JournalOptions = {}): Journals {
	return {
		start(info) {
			if (!journalled.has(info.kind)) {
				return undefined;
			}

			const journal = startJournal(info, options);
			return journal.file ? journal : undefined;
		},
	};
}

export const noJournals: Journals = {
	start: () => undefined,
};
