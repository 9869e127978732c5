import type {ProgressEvent as CoreProgress, PhaseEvent as CorePhase, WarningEvent as CoreWarning} from '../../core/jobs/events.js';

/**
 * The one event stream of every operation, versioned: `--json` prints these objects as they are,
 * the TUI's job queue and the job journal (which `sedai monitor` reads) consume the same ones.
 * Every event carries the job's id; a job emits one `start` and exactly one `end`, whose `result`
 * is typed per kind (see the *Result types of each operation) or whose `error` says what failed.
 */
export const eventVersion = 1;

export type OperationKind = 'backup' | 'verify' | 'restore' | 'drill' | 'prune' | 'protect' | 'init' | 'eject' | 'insert' | 'unlock' | 'key' | 'repair';

/** How a job ended. `damage`: verify/restore found damage or mismatches; `omissions`: finished but left out data it was asked for. */
export type EndStatus = 'ok' | 'failed' | 'damage' | 'omissions' | 'cancelled';

type Base = {version: typeof eventVersion; jobId: string; kind: OperationKind};

export type StartEvent = Base & {type: 'start'; label: string; detail?: string; repository?: string; time: string};
export type OperationProgress = Base & Omit<CoreProgress, 'job'>;
export type OperationPhase = Base & Omit<CorePhase, 'job'> & {target?: string};
export type OperationWarning = Base & Omit<CoreWarning, 'job'> & {target?: string};
/** A plan run's verdict for one target, as soon as it is known. */
export type TargetEvent = Base & {type: 'target'; target: unknown};
export type EndEvent<R = unknown> = Base & {
	type: 'end';
	status: EndStatus;
	exitCode: number;
	durationMs: number;
	result?: R;
	error?: {code: string; message: string};
};

export type OperationEvent = StartEvent | OperationProgress | OperationPhase | OperationWarning | TargetEvent | EndEvent;

export type EventSink = (event: OperationEvent) => void;

/** Exit codes of the headless CLI, one per end status. */
export const exitCodeOf: Record<EndStatus, number> = {
	ok: 0,
	failed: 1,
	damage: 3,
	omissions: 4,
	cancelled: 130,
};
