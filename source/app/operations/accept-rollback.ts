import type {OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, openMedium, type MediumRef} from './medium-job.js';

export type AcceptRollbackResult = {
	repository: string;
	label: string;
	/** The newest generation this computer remembered, now forgotten. */
	forgotten?: {seq: number; id: string};
	/** The newest generation on the medium, remembered from now on. */
	head?: {seq: number; id: string};
};

/**
 * A technician put an older copy of a medium back on purpose (restored it from another
 * cartridge, say): verify rightly calls the chain that went backwards damage. This tells this
 * computer to take the medium's newest generation as the head from now on. Nothing on the
 * medium changes.
 */
export async function acceptRollback(context: OperationContext, ref: MediumRef): Promise<JobEnd<AcceptRollbackResult>> {
	return runJob(context, {kind: 'repair', label: await labelOf(ref), detail: 'accept rollback'}, async () => {
		const {repository} = await openMedium(context, ref);
		const forgotten = context.state.cartridge(repository.id)?.chainHead;
		const newest = (await repository.listGenerations()).generations.at(-1);
		const head = newest ? {seq: newest.seq, id: newest.id} : undefined;
		context.state.setChainHead(repository.id, head);
		return {status: 'ok', result: {repository: repository.root, label: repository.label, ...(forgotten ? {forgotten} : {}), ...(head ? {head} : {})}};
	});
}
