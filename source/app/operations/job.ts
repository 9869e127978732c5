import {randomBytes} from 'node:crypto';
import {SedaiError, describeIoError, isSedaiError} from '../../core/errors.js';
import type {JobEvent, Phase} from '../../core/jobs/events.js';
import type {JobJournal} from '../../settings/job-journal.js';
import type {OperationContext} from './context.js';
import {eventVersion, exitCodeOf, type EndEvent, type EndStatus, type OperationEvent, type OperationKind} from './events.js';

/**
 * The frame around every operation: a job id, one `start` event, the engine's events stamped
 * with the id and written to the job journal, and exactly one `end` with the typed result or
 * the error. Whatever the body throws becomes a SedaiError; a throw after the signal fired is a
 * cancel, which is a normal outcome, never a crash.
 */
export type JobSpec = {kind: OperationKind; label: string; detail?: string; repository?: string};

export type JobHandle = {
	readonly id: string;
	readonly kind: OperationKind;
	readonly signal: AbortSignal | undefined;
	/** Feed the engine's events here. */
	readonly onEvent: (event: JobEvent) => void;
	warn(code: string, message: string, extra?: {path?: string; target?: string}): void;
	phase(phase: Phase, message: string, target?: string): void;
	emit(event: Omit<Extract<OperationEvent, {type: 'target'}>, 'version' | 'jobId' | 'kind'>): void;
};

export type Outcome<R> = {status: EndStatus; result: R};

export type JobEnd<R> = EndEvent<R> & {
	/** The SedaiError the job failed with (front ends render it in their language). */
	failure?: SedaiError;
};

export function newJobId(): string {
	return randomBytes(6).toString('hex');
}

function toSedaiError(error: unknown, signal: AbortSignal | undefined): SedaiError {
	if (signal?.aborted && !(isSedaiError(error) && error.code !== 'cancelled' && error.code !== 'io')) {
		return new SedaiError('cancelled', 'The job was cancelled: nothing was sealed or changed by it, and earlier generations are untouched.');
	}

	if (isSedaiError(error)) {
		return error;
	}

	const described = describeIoError(error, 'the medium');
	if (isSedaiError(described)) {
		return described;
	}

	const text = error instanceof Error ? error.message : String(error);
	return new SedaiError('internal', `Unexpected error: ${text} (set SEDAI_DEBUG=1 for details and report it).`, {cause: error});
}

export async function runJob<R>(context: OperationContext, spec: JobSpec, body: (job: JobHandle) => Promise<Outcome<R>>): Promise<JobEnd<R>> {
	const id = newJobId();
	const started = performance.now();
	const base = {version: eventVersion, jobId: id, kind: spec.kind} as const;
	let journal: JobJournal | undefined;
	try {
		journal = context.journals.start({jobId: id, ...spec});
	} catch {
		// Journaling is a convenience for the monitor: it never stops the job.
	}

	const emit = (event: OperationEvent) => {
		try {
			context.emit(event);
		} catch {
			// A front end that cannot show an event must not break the job.
		}
	};

	emit({...base, type: 'start', label: spec.label, ...(spec.detail ? {detail: spec.detail} : {}), ...(spec.repository ? {repository: spec.repository} : {}), time: (context.now?.() ?? new Date()).toISOString()});
	const handle: JobHandle = {
		id,
		kind: spec.kind,
		signal: context.signal,
		onEvent(event) {
			const {job: _job, ...rest} = event;
			journal?.event(rest);
			emit({...base, ...rest});
		},
		warn(code, message, extra = {}) {
			const event = {type: 'warning' as const, code, message, ...extra};
			journal?.event(event);
			emit({...base, ...event});
		},
		phase(phase, message, target) {
			const event = {type: 'phase' as const, phase, message, ...(target ? {target} : {})};
			journal?.event(event);
			emit({...base, ...event});
		},
		emit(event) {
			emit({...base, ...event});
		},
	};

	let end: JobEnd<R>;
	try {
		const outcome = await body(handle);
		end = {...base, type: 'end', status: outcome.status, exitCode: exitCodeOf[outcome.status], durationMs: Math.round(performance.now() - started), result: outcome.result};
	} catch (error) {
		const failure = toSedaiError(error, context.signal);
		const status: EndStatus = failure.code === 'cancelled' ? 'cancelled' : 'failed';
		end = {...base, type: 'end', status, exitCode: status === 'cancelled' ? exitCodeOf.cancelled : failure.exitCode, durationMs: Math.round(performance.now() - started), error: {code: failure.code, message: failure.message}, failure};
	}

	journal?.end({ok: end.status === 'ok', status: end.status, exitCode: end.exitCode, ...(end.result === undefined ? {} : {result: end.result}), ...(end.error ? {error: end.error} : {})});
	const {failure: _failure, ...event} = end;
	emit(event);
	return end;
}
