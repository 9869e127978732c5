import {createContext, useContext, useEffect, useState, type ReactNode} from 'react';
import type {Snapshot} from '../../app/session.js';
import type {Job} from '../../app/job-queue.js';
import type {LogEntry} from '../../app/activity-log.js';
import {useSession} from '../state/ui-context.js';

/**
 * The session's live state for rendering, redrawn at most every `intervalMs`: jobs report
 * progress five times a second and a slow SSH link must not carry a frame for each. One
 * subscription at the root; views read it from context.
 */
export type Live = {snapshot: Snapshot; jobs: readonly Job[]; log: readonly LogEntry[]};

export const liveIntervalMs = 250;
/** While a job runs, progress alone drives frames: two a second is live enough and halves the cost. */
export const busyIntervalMs = 500;

const LiveContext = createContext<Live | undefined>(undefined);

export function LiveProvider({intervalMs = liveIntervalMs, children}: {intervalMs?: number; children: ReactNode}) {
	const session = useSession();
	const read = (): Live => ({snapshot: session.snapshot, jobs: session.queue.list(), log: session.log.list()});
	const [live, setLive] = useState(read);
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let last = 0;
		const flush = () => {
			timer = undefined;
			last = Date.now();
			setLive(read());
		};

		const schedule = () => {
			const interval = session.queue.active().length > 0 ? Math.max(intervalMs, busyIntervalMs) : intervalMs;
			timer ??= setTimeout(flush, Math.max(0, interval - (Date.now() - last)));
		};

		const unsubscribe = [session.subscribe(schedule), session.queue.subscribe(schedule), session.log.subscribe(schedule)];
		flush();
		return () => {
			for (const stop of unsubscribe) {
				stop();
			}

			if (timer) {
				clearTimeout(timer);
			}
		};
	}, [session, intervalMs]);
	return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
	const live = useContext(LiveContext);
	if (!live) {
		throw new Error('useLive outside LiveProvider');
	}

	return live;
}
