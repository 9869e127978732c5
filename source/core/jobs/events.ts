/**
 * The one event stream every job emits. The TUI's progress bars, `--json` lines, the monitor
 * dashboard and reports all read this, so they can never disagree.
 */
export type JobKind = 'backup' | 'verify' | 'restore' | 'prune' | 'repair';

export type Phase = 'open' | 'scan' | 'read' | 'write' | 'seal' | 'check' | 'restore' | 'verify' | 'prune' | 'protect';

export type ProgressEvent = {
	type: 'progress';
	job: JobKind;
	phase: Phase;
	bytesDone: number;
	bytesTotal: number;
	filesDone: number;
	filesTotal: number;
	/** Display text of the file being worked on. */
	currentPath: string | undefined;
	/** Bytes per second over the last few seconds. */
	rate: number;
	elapsedMs: number;
	/** Estimated time left, when the rate allows a guess. */
	etaMs: number | undefined;
};

export type PhaseEvent = {
	type: 'phase';
	job: JobKind;
	phase: Phase;
	message: string;
	/** The repository (its label) this phase concerns, in a backup to several. */
	target?: string;
};

export type WarningEvent = {
	type: 'warning';
	job: JobKind;
	code: string;
	message: string;
	path?: string;
	/** The repository (its label) this warning concerns, in a backup to several. */
	target?: string;
};

export type JobEvent = ProgressEvent | PhaseEvent | WarningEvent;

export type JobOptions = {
	signal?: AbortSignal;
	onEvent?: (event: JobEvent) => void;
	/** How often progress is emitted while work goes on (default 200 ms). */
	progressIntervalMs?: number;
};
