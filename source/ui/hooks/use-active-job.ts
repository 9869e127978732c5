import {useCallback, useSyncExternalStore} from 'react';
import type {JobKind} from '../../core/jobs/events.js';
import {useSession} from '../state/ui-context.js';

/**
 * The id of the queued or running job of this kind. The component re-renders when that job
 * starts or ends, not on each of its progress reports: a view that only needs to know whether
 * `c` can cancel stays still while its job panel moves.
 */
export function useActiveJobId(kind: JobKind): number | undefined {
	const session = useSession();
	const subscribe = useCallback((listener: () => void) => session.queue.subscribe(listener), [session]);
	return useSyncExternalStore(subscribe, () => session.queue.active().find(job => job.kind === kind)?.id);
}
