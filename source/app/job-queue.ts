import {isSedaiError} from '../core/errors.js';
import type {EndStatus, EventSink, OperationEvent, OperationKind, OperationProgress, OperationWarning} from './operations/events.js';
import type {TargetOutcome} from './operations/backup.js';
import type {ActivityLog} from './activity-log.js';

/**
 * The job queue the TUI watches: engine jobs run in-process one after another (they share the
 * medium's bandwidth), each with its own AbortController. Every change makes new job objects,
 * so a view can tell what changed by identity; listeners are told synchronously and throttle
 * their own redraws.
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export type JobContext = {
	signal: AbortSignal;
	emit: EventSink;
};

export type JobOutcome = {
	ok: boolean;
	status?: EndStatus;
	/** Kind-specific result for the views (backup, verify or restore summary). */
	data?: unknown;
	message: {key: string; params?: Record<string, string | number>};
};

export type JobSpec = {
	kind: OperationKind;
	/** Target label (cartridge or folder) the job works on. */
	label: string;
	/** Extra words for the queue line, e.g. "full" or "#12". */
	detail?: string;
	run: (context: JobContext) => Promise<JobOutcome>;
};

export type Job = {
	id: number;
	/** The operation's job id (in --json, the journal and the monitor). */
	jobId?: string;
	kind: OperationKind;
	label: string;
	detail?: string;
	state: JobState;
	/** The engine's sentence for the current phase (English), and the phase's id. */
	phase?: string;
	phaseId?: string;
	progress?: OperationProgress;
	warnings: OperationWarning[];
	outcome?: JobOutcome;
	error?: string;
	errorCode?: string;
	queuedAt: number;
	startedAt?: number;
	endedAt?: number;
};

const keepFinished = 30;

export class JobQueue {
	private jobs: Job[] = [];
	private next = 1;
	private readonly specs = new Map<number, JobSpec>();
	private readonly controllers = new Map<number, AbortController>();
	private readonly listeners = new Set<() => void>();
	private running = false;
	private readonly idleWaiters: Array<() => void> = [];

	constructor(private readonly log: ActivityLog) {}

	list(): readonly Job[] {
		return this.jobs;
	}

	get(id: number): Job | undefined {
		return this.jobs.find(job => job.id === id);
	}

	active(): Job[] {
		return this.jobs.filter(job => job.state === 'running' || job.state === 'queued');
	}

	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	enqueue(spec: JobSpec): Job {
		const job: Job = {id: this.next++, kind: spec.kind, label: spec.label, state: 'queued', warnings: [], queuedAt: Date.now(), ...(spec.detail ? {detail: spec.detail} : {})};
		this.specs.set(job.id, spec);
		this.jobs = [...this.jobs, job];
		this.log.add('info', {key: 'log.queued', params: this.params(job)});
		this.changed();
		void this.pump();
		return job;
	}

	/** Cancel a queued or running job; running ones stop as safely as after a crash. */
	cancel(id: number): void {
		const job = this.get(id);
		if (!job) {
			return;
		}

		if (job.state === 'queued') {
			this.update(id, {state: 'cancelled', endedAt: Date.now()});
			this.specs.delete(id);
			this.log.add('warn', {key: 'log.cancelled', params: this.params(job)});
			return;
		}

		if (job.state === 'running') {
			this.controllers.get(id)?.abort();
			this.update(id, {phase: 'cancelling', phaseId: 'cancelling'});
		}
	}

	cancelAll(): void {
		for (const job of this.active()) {
			this.cancel(job.id);
		}
	}

	/** Resolves once nothing is queued or running. */
	async idle(): Promise<void> {
		if (!this.running && this.active().length === 0) {
			return;
		}

		return new Promise(resolve => {
			this.idleWaiters.push(resolve);
		});
	}

	/** Log parameters: the UI words the kind and detail in its own language. */
	private params(job: Pick<Job, 'kind' | 'label' | 'detail'>): Record<string, string> {
		return {job: this.describe(job), kind: job.kind, label: job.label, detail: job.detail ?? ''};
	}

	describe(job: Pick<Job, 'kind' | 'label' | 'detail'>): string {
		return [job.kind, job.label, job.detail].filter(Boolean).join(' ');
	}

	private async pump(): Promise<void> {
		if (this.running) {
			return;
		}

		this.running = true;
		try {
			for (let job = this.nextQueued(); job; job = this.nextQueued()) {
				await this.runOne(job);
			}
		} finally {
			this.running = false;
			for (const resolve of this.idleWaiters.splice(0)) {
				resolve();
			}
		}
	}

	private nextQueued(): Job | undefined {
		return this.jobs.find(job => job.state === 'queued');
	}

	private async runOne(job: Job): Promise<void> {
		const spec = this.specs.get(job.id)!;
		const controller = new AbortController();
		this.controllers.set(job.id, controller);
		this.update(job.id, {state: 'running', startedAt: Date.now()});
		this.log.add('info', {key: 'log.started', params: this.params(job)});
		const emit = (event: OperationEvent) => {
			this.onEvent(job.id, event);
		};

		try {
			const outcome = await spec.run({signal: controller.signal, emit});
			this.update(job.id, {state: 'done', outcome, endedAt: Date.now()});
			this.log.add(outcome.ok ? 'ok' : 'error', outcome.message);
		} catch (error) {
			const cancelled = controller.signal.aborted || (isSedaiError(error) && error.code === 'cancelled');
			const message = error instanceof Error ? error.message : String(error);
			this.update(job.id, {
				state: cancelled ? 'cancelled' : 'failed',
				error: message,
				...(isSedaiError(error) ? {errorCode: error.code} : {}),
				endedAt: Date.now(),
			});
			this.log.add(cancelled ? 'warn' : 'error', cancelled ? {key: 'log.cancelled', params: this.params(job)} : {text: message});
		} finally {
			this.controllers.delete(job.id);
			this.specs.delete(job.id);
			this.trim();
		}
	}

	private onEvent(id: number, event: OperationEvent): void {
		switch (event.type) {
			case 'start': {
				this.update(id, {jobId: event.jobId});
				break;
			}

			case 'progress': {
				this.update(id, {progress: event});
				break;
			}

			case 'phase': {
				this.update(id, {phase: event.message, phaseId: event.phase});
				break;
			}

			case 'warning': {
				const current = this.get(id)!;
				this.update(id, {warnings: [...current.warnings, event].slice(-200)});
				this.log.add('warn', {text: event.path ? `${event.message} (${event.path})` : event.message});
				break;
			}

			case 'target': {
				const target = event.target as TargetOutcome;
				if (target.status === 'offline') {
					this.log.add('info', {key: 'log.targetOffline', params: {name: target.name, why: target.message ?? ''}});
				}

				break;
			}

			case 'end': {
				break;
			}
		}
	}

	private trim(): void {
		const finished = this.jobs.filter(job => job.state !== 'running' && job.state !== 'queued');
		if (finished.length > keepFinished) {
			const drop = new Set(finished.slice(0, finished.length - keepFinished).map(job => job.id));
			this.jobs = this.jobs.filter(job => !drop.has(job.id));
			this.changed();
		}
	}

	private update(id: number, patch: Partial<Job>): void {
		this.jobs = this.jobs.map(job => job.id === id ? {...job, ...patch} : job);
		this.changed();
	}

	private changed(): void {
		for (const listener of this.listeners) {
			listener();
		}
	}
}
