import {Repository} from '../../core/repository/repository.js';
import {checkRepository, protectRepository, type GenerationProtection} from '../../system/generation-protection.js';
import {recordProtection} from '../../system/cartridge-memory.js';
import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, resolveMedium, type MediumRef} from './medium-job.js';
import {rememberMedium} from './remember.js';

/**
 * Protect a medium's sealed generations (read-only, immutable where the filesystem allows), or
 * only check them. Without a passphrase every pack counts for every generation; with one, each
 * generation is mapped to exactly its own packs. Only immutability or the medium's write-protect
 * switch counts as protected, as in compliance.
 */
export type ProtectRunResult = {
	repository: string;
	label: string;
	id: string;
	exact: boolean;
	mediumWriteProtected: boolean;
	/** The write-protect switch (not a read-only mount, which root can undo). */
	hardwareWriteProtected: boolean;
	applied?: {protection: string; note?: string; files: number};
	generations: GenerationProtection[];
	unprotected: number;
};

export async function protectMedium(context: OperationContext, request: MediumRef & {check?: boolean}): Promise<JobEnd<ProtectRunResult>> {
	return runJob(context, {kind: 'protect', label: await labelOf(request), ...(request.check ? {detail: 'check'} : {})}, async () => {
		const medium = await resolveMedium(context, request);
		const config = await Repository.identify(medium.root);
		// Only open when no prompt is needed: protection works without the key, just less exactly.
		const repository = !config.encryption || !(await context.media.wouldAsk(medium.root)) ? await context.media.openAt(medium.root, medium.repositoryId) : undefined;
		let applied: ProtectRunResult['applied'];
		if (!request.check) {
			const {outcome} = await protectRepository(medium.root);
			applied = {protection: outcome.protection, ...(outcome.note ? {note: outcome.note} : {}), files: outcome.files};
		}

		const {generations, medium: state} = await checkRepository(medium.root, repository);
		if (repository) {
			await rememberMedium(context, repository, medium);
		}

		recordProtection(context.state, config.id, new Map(generations.map(generation => [generation.id, {protection: generation.protection, ...(generation.note ? {note: generation.note} : {})}])));
		// As compliance judges it: a read-only mode is one chmod away from writable; the switch is not.
		const holds = (generation: GenerationProtection) => generation.protection === 'immutable' || (generation.protection === 'read-only' && state.hardwareReadOnly);
		const unprotected = generations.filter(generation => !holds(generation)).length;
		return {
			status: unprotected === 0 ? 'ok' : 'failed',
			result: {repository: medium.root, label: config.label, id: config.id, exact: Boolean(repository), mediumWriteProtected: state.hardwareReadOnly || state.mountReadOnly, hardwareWriteProtected: state.hardwareReadOnly, ...(applied ? {applied} : {}), generations, unprotected},
		};
	});
}
