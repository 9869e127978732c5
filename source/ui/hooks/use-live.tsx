import {createContext, useContext, useEffect, useState, type ReactNode} from 'react';
import type {Snapshot} from '../../app/session.js';
import type {Job} from '../../app/job-queue.js';
import type {LogEntry} from '../../app/activity-log.js';
import {useSession} from '../state/ui-context.js';

/**
 * The session's live state for rendering, redrawn at most every `intervalMs`: jobs report
 * progress five times a second and a slow SSH link must not carry a frame for each. One
 * subscription at the root; components read it from context.
 *
 * Snapshot, jobs and log are three contexts, each changed only when its part changed: a progress
 * tick then re-renders the job panel and the status bar, not every view and the sidebar (a frame
 * that costs less leaves the keys more of the machine).
 */
export type Live = {snapshot: Snapshot; jobs: readonly Job[]; log: readonly LogEntry[]};

export const liveIntervalMs = 250;
/** While a job runs, progress alone drives frames: two a second is live enough and halves the cost. */
export const busyIntervalMs = 500;

const SnapshotContext = createContext<Snapshot | undefined>(undefined);
const JobsContext = createContext<readonly Job[] | undefined>(undefined);
const LogContext = createContext<readonly LogEntry[] | undefined>(undefined);

/** The same arrays again when nothing in them changed, so their contexts stay quiet. */
function same<T>(previous: readonly T[], next: readonly T[]): readonly T[] {
	return previous.length === next.length && previous.every((item, index) => item === next[index]) ? previous : next;
}

export function LiveProvider({intervalMs = liveIntervalMs, children}: {intervalMs?: number; children: ReactNode}) {
	const session = useSession();
	const read = (previous?: Live): Live => {
		const jobs = session.queue.list();
		const log = session.log.list();
		return previous
			? {snapshot: session.snapshot, jobs: same(previous.jobs, jobs), log: same(previous.log, log)}
			: {snapshot: session.snapshot, jobs, log};
	};

	const [live, setLive] = useState(() => read());
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let last = 0;
		const flush = () => {
			timer = undefined;
			last = Date.now();
			setLive(previous => read(previous));
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
	return (
		<SnapshotContext.Provider value={live.snapshot}>
			<JobsContext.Provider value={live.jobs}>
				<LogContext.Provider value={live.log}>{children}</LogContext.Provider>
			</JobsContext.Provider>
		</SnapshotContext.Provider>
	);
}

function need<T>(value: T | undefined): T {
	if (value === undefined) {
		throw new Error('live state read outside LiveProvider');
	}

	return value;
}

/** What the session knows (drives, media, settings): changes on a refresh, not on progress. */
export function useSnapshot(): Snapshot {
	return need(useContext(SnapshotContext));
}

export function useJobs(): readonly Job[] {
	return need(useContext(JobsContext));
}

export function useLog(): readonly LogEntry[] {
	return need(useContext(LogContext));
}

/** All three; a component reading this re-renders on every change to any of them. */
export function useLive(): Live {
	return {snapshot: useSnapshot(), jobs: useJobs(), log: useLog()};
}
