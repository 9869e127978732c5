import {writeRecord} from '../../repository/records.js';
import type {Repository} from '../../repository/repository.js';
import type {VerifyResult} from '../verify.js';
import {evidenceOf} from './evidence.js';

/**
 * The outcome, on the medium itself, so any machine reading the cartridge sees when it was
 * checked; sealed like the drill reports, so a hand-written "all clean" is not believed.
 */
export async function recordVerification(repository: Repository, result: VerifyResult): Promise<void> {
	const {writable} = await repository.probeWritable();
	if (!writable) {
		return;
	}

	const name = `${result.time.replaceAll(':', '-')}-${result.level}.json`;
	// The record's level, verdict and time are its worth as evidence (a slice is not a full read).
	const summary = {...result, ...evidenceOf(result), ranAt: result.time, problems: result.problems.slice(0, 100), damagedGenerations: result.damagedGenerations.map(item => ({...item, files: item.files.slice(0, 100)}))};
	await writeRecord(repository, 'verifications', name, summary);
}
