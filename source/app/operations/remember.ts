import type {Repository} from '../../core/repository/repository.js';
import {rememberRepository} from '../../settings/remember.js';
import type {OperationContext} from './context.js';
import type {Medium} from './locate.js';

/** Remember a medium just used; local bookkeeping never fails the operation itself. */
export async function rememberMedium(context: OperationContext, repository: Repository, medium?: Pick<Medium, 'kind'>): Promise<void> {
	try {
		await rememberRepository(context.state, repository, medium ? {removable: medium.kind === 'cartridge'} : {});
	} catch {
		// The result stands; the cartridge list catches up next time.
	}
}
