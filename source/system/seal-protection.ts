import type {StateStore} from '../settings/state.js';
import {recordProtection} from './cartridge-memory.js';
import {protectSealedFiles} from './generation-protection.js';
import type {ProtectOutcome} from './protect.js';

/**
 * Right after a backup seals a generation: make what it wrote read-only (and immutable where the
 * filesystem and privileges allow) and remember the outcome for that generation. Never throws:
 * the generation is sealed either way, and the outcome says what protection it got.
 */
export async function protectNewGeneration(state: StateStore, repositoryId: string, generationId: string, writtenFiles: string[]): Promise<ProtectOutcome> {
	const outcome = await protectSealedFiles(writtenFiles);
	try {
		recordProtection(state, repositoryId, new Map([[generationId, {protection: outcome.protection, ...(outcome.note ? {note: outcome.note} : {})}]]));
	} catch {
		// Local bookkeeping only; `sedai protect --check` can record it later.
	}

	return outcome;
}
