import {SedaiError} from '../errors.js';
import type {JobKind, JobOptions, Phase, ProgressEvent, WarningEvent} from './events.js';
import {nextEta, type EtaState} from './eta.js';

/**
 * Counts work and emits throttled progress: the job bumps plain numbers on its hot path and a
 * timer turns them into events, so a fast job is never slowed by its own reporting.
 */
export class ProgressReporter {
	bytesDone = 0;
	bytesTotal = 0;
	filesDone = 0;
	filesTotal = 0;
	currentPath: string | undefined;
	phase: Phase = 'open';
	warnings = 0;
	/** Warnings that concern one repository, by its label; the rest concern every one. */
	private readonly targetWarnings = new Map<string, number>();
	private readonly started = performance.now();
	private readonly samples: Array<{at: number; bytes: number}> = [];
	private timer: NodeJS.Timeout | undefined;
	private eta: EtaState | undefined;

	constructor(private readonly job: JobKind, private readonly options: JobOptions) {}

	start(): void {
		const interval = this.options.progressIntervalMs ?? 200;
		this.timer = setInterval(() => {
			this.emitProgress();
		}, interval);
		this.timer.unref();
	}

	stop(): void {
		if (this.timer) {
			clearInterval(this.timer);
			this.timer = undefined;
		}
	}

	/** `target`: the label of the one repository the phase concerns, in a job with several. */
	setPhase(phase: Phase, message: string, target?: string): void {
		this.phase = phase;
		this.options.onEvent?.({type: 'phase', job: this.job, phase, message, ...(target === undefined ? {} : {target})});
		this.emitProgress();
	}

	warn(code: string, message: string, path?: string, target?: string): void {
		this.warnings++;
		const event: WarningEvent = {type: 'warning', job: this.job, code, message};
		if (path !== undefined) {
			event.path = path;
		}

		if (target !== undefined) {
			event.target = target;
			this.targetWarnings.set(target, (this.targetWarnings.get(target) ?? 0) + 1);
		}

		this.options.onEvent?.(event);
	}

	/** Warnings that concern `target`: its own plus the shared ones. */
	warningsOf(target: string): number {
		let others = 0;
		for (const [label, count] of this.targetWarnings) {
			if (label !== target) {
				others += count;
			}
		}

		return this.warnings - others;
	}

	get elapsedMs(): number {
		return performance.now() - this.started;
	}

	snapshot(): ProgressEvent {
		const now = performance.now();
		this.samples.push({at: now, bytes: this.bytesDone});
		while (this.samples.length > 2 && now - this.samples[0].at > 5000) {
			this.samples.shift();
		}

		const first = this.samples[0];
		const seconds = (now - first.at) / 1000;
		const rate = seconds > 0.05 ? (this.bytesDone - first.bytes) / seconds : 0;
		const elapsedMs = now - this.started;
		this.eta = nextEta(this.eta, {at: now, elapsedMs, done: this.bytesDone, total: this.bytesTotal, rate});
		return {
			type: 'progress',
			job: this.job,
			phase: this.phase,
			bytesDone: this.bytesDone,
			bytesTotal: this.bytesTotal,
			filesDone: this.filesDone,
			filesTotal: this.filesTotal,
			currentPath: this.currentPath,
			rate: Math.round(rate),
			elapsedMs: Math.round(elapsedMs),
			etaMs: this.eta ? Math.round(this.eta.etaMs) : undefined,
		};
	}

	emitProgress(): void {
		if (this.options.onEvent) {
			this.options.onEvent(this.snapshot());
		}
	}
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		throw cancelledError();
	}
}

export function cancelledError(): SedaiError {
	return new SedaiError('cancelled', 'The job was cancelled: nothing was sealed, earlier generations are untouched, and data already written will be reused by the next run.');
}
