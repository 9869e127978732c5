import {SedaiError} from '../core/errors.js';
import {type Repository} from '../core/repository/repository.js';
import type {LoadedGeneration} from '../core/repository/generations.js';
import {SettingsStore} from '../settings/store.js';
import type {PlanRun} from '../settings/run-status.js';
import {StateStore, type DrillRecord, type VerificationRecord} from '../settings/state.js';
import {rememberRepository} from '../settings/remember.js';
import type {SiteSettings} from '../settings/schema.js';
import type {DriveReport} from '../system/types.js';
import {driveSource, type DriveSource, type EjectResult} from '../system/drive-source.js';
import type {ComplianceReport} from '../core/policy/compliance.js';
import type {DrillReport} from '../report/drill-report.js';
import {LogStore} from '../settings/log-store.js';
import type {VerifyMode} from './operations/verify.js';
import {newestRun} from './newest-run.js';
import {ActivityLog, type LogKeeper} from './activity-log.js';
import {JobQueue, type Job, type JobContext} from './job-queue.js';
import {buildCatalog, type TargetStatus} from './catalog.js';
import {buildTimeline, type TimelineRow} from './timeline.js';
import {backupJob, drillJob, restoreJob, verifyJob} from './job-specs.js';
import {proposeDrill, type DrillProposal} from './operations/drill/proposal.js';
import {drillHistory, type DrillHistory} from './operations/drill/history.js';
import {localCopy} from './operations/drill/report-files.js';
import {deleteScratch, listScratch, type ScratchEntry, type ScratchListing} from './operations/scratch.js';
import type {OperationContext} from './operations/context.js';
import {assessCompliance, ProtectionCache} from './operations/compliance.js';
import {fileJournals, type Journals} from './operations/journals.js';
import {knownMedium, type Medium} from './operations/locate.js';
import {confirmStoredAway, ejectMedium, insertMedium, mediumLocks, type LockHolder} from './operations/media-actions.js';
import {pruneMedium, type PruneRunResult} from './operations/prune.js';
import {initJob, planJob, protectJob, pruneJob, targetOf, unlockJob, type NewTarget} from './maintenance-jobs.js';
import {MediumOpener} from './operations/open.js';
import {Passphrases, type PassphrasePrompt} from './operations/passphrase.js';
import type {PlanSchedule, ScheduleLocations} from './operations/schedule.js';
import {SessionSchedules} from './session-schedules.js';

/**
 * One technician's session over the site's settings: what is connected, what every medium holds,
 * the job queue and the log. The TUI renders snapshots of it and calls its intents; nothing here
 * knows about Ink.
 */
export type Snapshot = {
	settings: SiteSettings;
	report?: DriveReport;
	reportError?: string;
	targets: TargetStatus[];
	timeline: TimelineRow[];
	verifications: VerificationRecord[];
	drills: DrillRecord[];
	/** The guideline checklist as of the last look (absent until the first one finishes). */
	compliance?: ComplianceReport;
	refreshing: boolean;
	refreshedAt?: number;
	/** True once the first look at drives and media is done. */
	ready: boolean;
	/** The newest plan run (the nightly timer's or a console's), from the status file. */
	lastRun?: PlanRun;
	/** Every plan with its installed schedule, next run and last run. */
	schedules: PlanSchedule[];
};

export type SessionOptions = {
	settings?: SettingsStore;
	state?: StateStore;
	drives?: DriveSource;
	/** Poll drives this often (0: never). */
	pollMs?: number;
	/** Where jobs write their journals (default: $SEDAI_HOME/jobs, which `sedai monitor` reads). */
	journals?: Journals;
	/** Where the log is kept between sessions (default: $SEDAI_HOME/log; null keeps it in memory). */
	logKeeper?: LogKeeper | null;
	/** Where schedules go (default: the system's unit folder; the demo's own folder in the demo). */
	schedules?: ScheduleLocations;
	/** The clock (tests hand in a fixed one). */
	now?: () => Date;
};

export class Session {
	readonly settingsStore: SettingsStore;
	readonly state: StateStore;
	readonly drives: DriveSource;
	readonly log: ActivityLog;
	readonly queue: JobQueue;
	readonly passphrases: Passphrases;
	readonly media: MediumOpener;
	/** The UI's passphrase prompt (a masked dialog), set while the console is on screen. */
	asker: PassphrasePrompt | undefined;
	private readonly journals: Journals;
	private readonly schedules: SessionSchedules;
	/** The session's clock: next runs and ages are computed from it. */
	readonly now: () => Date;
	private current: Snapshot;
	private readonly listeners = new Set<() => void>();
	private readonly remembered = new Set<string>();
	private readonly generations = new Map<string, LoadedGeneration>();
	/** Protection is read from every sealed file (lsattr): not on every poll. */
	private readonly protection = new ProtectionCache(5 * 60_000);
	private refreshing: Promise<void> | undefined;
	private again: Promise<void> | undefined;
	private readonly timer: NodeJS.Timeout | undefined;

	constructor(options: SessionOptions = {}) {
		this.settingsStore = options.settings ?? new SettingsStore();
		this.log = new ActivityLog(options.logKeeper === undefined ? new LogStore() : (options.logKeeper ?? undefined));
		this.queue = new JobQueue(this.log);
		this.state = options.state ?? new StateStore();
		this.drives = options.drives ?? driveSource();
		this.passphrases = new Passphrases({
			siteFile: () => this.current.settings.passphraseFile,
			prompt: async request => this.asker ? this.asker(request) : undefined,
		});
		this.media = new MediumOpener(this.passphrases);
		this.journals = options.journals ?? fileJournals();
		this.now = options.now ?? (() => new Date());
		this.current = {settings: this.settingsStore.get(), targets: [], timeline: [], verifications: [], drills: [], schedules: [], refreshing: false, ready: false};
		this.schedules = new SessionSchedules(() => this.context(), this.log, options.schedules ?? {}, () => this.current.schedules);
		// A finished job changes what the media hold: look again.
		this.queue.subscribe(() => {
			this.onQueueChange();
		});
		const pollMs = options.pollMs ?? 15_000;
		if (pollMs > 0) {
			this.timer = setInterval(() => {
				if (this.queue.active().length === 0) {
					void this.refresh({quiet: true});
				}
			}, pollMs);
			this.timer.unref();
		}
	}

	get snapshot(): Snapshot {
		return this.current;
	}

	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	close(): void {
		if (this.timer) {
			clearInterval(this.timer);
		}
	}

	/** Stop polling and wait until nothing is running (tests, quitting). */
	async dispose(): Promise<void> {
		this.close();
		this.queue.cancelAll();
		await this.queue.idle();
		await this.refreshing;
	}

	/** The operations' world for one job started here (or for a quick action without a job). */
	context(job?: JobContext): OperationContext {
		return {
			settings: () => this.settingsStore.get(),
			state: this.state,
			drives: this.drives,
			media: this.media,
			emit: job?.emit ?? (() => undefined),
			journals: this.journals,
			now: this.now,
			...(job ? {signal: job.signal} : {}),
		};
	}

	/** Install (or replace) a plan's nightly schedule, then show it. */
	async installSchedule(plan: string, at: string, verifyWeekly: boolean): Promise<void> {
		await this.schedules.install(plan, at, verifyWeekly);
		await this.readSchedules();
	}

	async removeSchedule(plan: string): Promise<void> {
		await this.schedules.remove(plan);
		await this.readSchedules();
	}

	/** The schedules and last runs again (cheap: a few small files, and systemctl for a live timer). */
	async readSchedules(): Promise<void> {
		this.set({schedules: await this.schedules.now(), ...newestRun()});
	}

	/** Insert (demo) or mount (Linux) a known cartridge by label, then look again. */
	async mount(label: string): Promise<void> {
		const end = await insertMedium(this.context(), {label});
		if (end.failure) {
			throw end.failure;
		}

		this.log.add('ok', {key: 'log.mounted', params: {label}});
		await this.refresh({quiet: true});
	}

	/** Look at drives and media again; repositories newly online are read (when no prompt is needed). */
	async refresh(options: {quiet?: boolean; reread?: boolean} = {}): Promise<void> {
		if (this.refreshing) {
			// A look already under way may have started before what changed now (a job that just
			// ended): look once more after it, so the picture always includes the latest change.
			this.again ??= this.refreshing.then(async () => {
				this.again = undefined;
				return this.refresh(options);
			});
			return this.again;
		}

		this.refreshing = this.doRefresh(options).catch((error: unknown) => {
			// A failed look must not take the console down: say so and keep the last picture.
			this.log.add('error', {text: error instanceof Error ? error.message : String(error)});
			this.set({refreshing: false, ready: true});
		}).finally(() => {
			this.refreshing = undefined;
		});
		return this.refreshing;
	}

	private async doRefresh(options: {quiet?: boolean; reread?: boolean}): Promise<void> {
		this.set({refreshing: true});
		let report: DriveReport | undefined;
		let reportError: string | undefined;
		try {
			report = await this.drives.list({state: this.state});
		} catch (error) {
			reportError = error instanceof Error ? error.message : String(error);
		}

		const settings = this.settingsStore.get();
		let targets = await buildCatalog(settings, this.state, report);
		// Show what is known at once; reading repositories (key derivation) follows.
		this.publish(settings, report, reportError, targets, true, this.current.compliance, await this.schedules.now());
		if (options.reread) {
			this.remembered.clear();
		}

		const changed = await this.readNewlyOnline(targets, options.quiet ?? false);
		if (changed) {
			targets = await buildCatalog(settings, this.state, report);
		}

		let compliance: ComplianceReport | undefined;
		try {
			compliance = await assessCompliance(this.context(), {now: new Date(), protection: this.protection});
		} catch (error) {
			this.log.add('warn', {text: error instanceof Error ? error.message : String(error)});
		}

		this.publish(settings, report, reportError, targets, false, compliance, await this.schedules.now());
	}

	/** Open each repository newly online whose key needs no prompt; true when any was new. */
	private async readNewlyOnline(targets: TargetStatus[], quiet: boolean): Promise<boolean> {
		let changed = false;
		for (const target of targets) {
			if (!target.online || !target.root || !target.repositoryId) {
				if (target.repositoryId) {
					this.remembered.delete(target.repositoryId);
				}

				continue;
			}

			if (this.remembered.has(target.repositoryId)) {
				continue;
			}

			try {
				if (await this.media.wouldAsk(target.root)) {
					continue;
				}

				const repository = await this.open(target);
				// Only a configured target says what kind it is; otherwise the sighting's (or init's) record stands.
				await rememberRepository(this.state, repository, target.configured ? {removable: target.kind === 'cartridge'} : {});
				this.remembered.add(target.repositoryId);
				changed = true;
			} catch (error) {
				if (!quiet) {
					this.log.add('warn', {text: error instanceof Error ? error.message : String(error)});
				}
			}
		}

		return changed;
	}

	private publish(settings: SiteSettings, report: DriveReport | undefined, reportError: string | undefined, targets: TargetStatus[], refreshing: boolean, compliance = this.current.compliance, schedules = this.current.schedules): void {
		const verifications = this.state.verifications();
		const drills = this.state.drills();
		// Each medium under its own target's retention, else the site's.
		const timeline = buildTimeline(targets, verifications, target => ({
			retention: settings.targets.find(item => item.name === target.name && target.configured)?.retention ?? settings.retention,
			minGenerations: settings.compliance.minGenerations,
		}), drills);
		this.set({settings, report, reportError, targets, timeline, verifications, drills, ...(compliance ? {compliance} : {}), ...newestRun(), schedules, refreshing, refreshedAt: Date.now(), ready: true});
	}

	/** Open a target's repository (by its id), asking for the passphrase in the UI when nothing provides it. */
	async open(target: Pick<TargetStatus, 'root' | 'label' | 'online' | 'repositoryId'>): Promise<Repository> {
		if (!target.online || !target.root) {
			throw new SedaiError('not-found', `"${target.label}" is not connected: insert the cartridge (or reconnect the folder) and press r to look again.`);
		}

		return this.media.openAt(target.root, target.repositoryId);
	}

	/** A connected target as an operation's medium. */
	mediumOf(target: TargetStatus): Medium {
		if (!target.root || !target.repositoryId) {
			throw new SedaiError('not-a-repository', `"${target.label}" holds no Sedai repository yet: create one first.`);
		}

		return knownMedium(target.root, target.repositoryId, target.label, target.kind, target.configured ? target.name : undefined);
	}

	target(name: string): TargetStatus | undefined {
		return this.current.targets.find(target => target.name === name);
	}

	targetById(repositoryId: string): TargetStatus | undefined {
		return this.current.targets.find(target => target.repositoryId === repositoryId);
	}

	startBackup(targetNames: string[], sources: string[]): Job[] {
		if (sources.length === 0) {
			throw new SedaiError('usage', 'No sources to back up: add a folder under Settings → Sources.');
		}

		// One job for every ticked target: the sources are read once for all of them.
		const media = targetNames.map(name => this.mediumOf(this.requireOnline(name)));
		return [this.queue.enqueue(backupJob(this, media, sources))];
	}

	/** The drill a recovery would need (or says which cartridge to insert for it). */
	async proposeDrill(): Promise<DrillProposal | undefined> {
		return proposeDrill(this.context());
	}

	startDrill(proposal: DrillProposal, signOff: {operator?: string; witness?: string; note?: string; keep?: boolean; language?: 'en' | 'ja'}): Job {
		if (!proposal.medium) {
			throw new SedaiError('not-found', `The drill should use "${proposal.label}" (longest without a drill): insert it (Drives, i), then start the drill again.`);
		}

		return this.queue.enqueue(drillJob(this, {medium: proposal.medium, ...signOff}));
	}

	/** Drill reports kept here and on the connected media (or here only: quick), and test restores, newest first. */
	async drillHistory(options: {media?: boolean} = {}): Promise<DrillHistory> {
		if (options.media !== false) {
			// The look under way opens the same media: wait and use them, instead of deriving every key twice.
			await this.refreshing;
		}

		const media = options.media === false ? [] : this.current.targets.filter(target => target.online && target.root && target.repositoryId).map(target => this.mediumOf(target));
		return drillHistory(this.context(), media);
	}

	/** A report's printable files on this machine (written from the report when only a medium had it). */
	async reportFiles(report: DrillReport): Promise<{markdown: string; html: string; json: string}> {
		return localCopy(report);
	}

	async scratch(): Promise<ScratchListing> {
		return listScratch(this.context());
	}

	async deleteScratch(names: string[]): Promise<ScratchEntry[]> {
		// A running drill or test restore is writing into a fresh folder there right now.
		if (this.queue.active().some(job => job.kind === 'drill' || job.kind === 'restore')) {
			throw new SedaiError('busy', 'A drill or test restore is running and restores into the scratch folder: delete leftovers once it has ended.');
		}

		const {deleted} = await deleteScratch(this.context(), names);
		return deleted;
	}

	startVerify(name: string, level: VerifyMode): Job {
		return this.queue.enqueue(verifyJob(this, this.mediumOf(this.requireOnline(name)), level));
	}

	startRestore(repositoryId: string, generation: {id: string; seq: number}, include?: string[]): Job {
		const target = this.targetById(repositoryId);
		if (!target) {
			throw new SedaiError('not-found', 'That generation\'s medium is unknown here: press r on Drives to look again.');
		}

		return this.queue.enqueue(restoreJob(this, this.mediumOf(this.requireOnline(target.name)), generation, include));
	}

	/** What a prune of this medium would remove, and why (a dry run: nothing changes). */
	async previewPrune(name: string): Promise<PruneRunResult> {
		const end = await pruneMedium(this.context(), {medium: this.mediumOf(this.requireOnline(name)), dryRun: true});
		if (!end.result) {
			throw end.failure ?? new SedaiError('internal', end.error?.message ?? 'The prune preview failed.');
		}

		return end.result;
	}

	/** Prune, refused unless it removes exactly the generations the confirmed preview listed. */
	startPrune(name: string, expectRemove: string[]): Job {
		return this.queue.enqueue(pruneJob(this, this.mediumOf(this.requireOnline(name)), expectRemove));
	}

	startProtect(name: string): Job {
		return this.queue.enqueue(protectJob(this, this.mediumOf(this.requireOnline(name))));
	}

	/** Who holds this medium's locks, and since when (read only). */
	async locks(name: string): Promise<{label: string; locks: LockHolder[]}> {
		return mediumLocks(this.context(), {medium: this.mediumOf(this.requireOnline(name))});
	}

	startUnlock(name: string, force: boolean): Job {
		return this.queue.enqueue(unlockJob(this, this.mediumOf(this.requireOnline(name)), force));
	}

	/** A named plan, as the nightly timer runs it: its sources to each of its targets that is here. */
	startPlan(plan: string): Job {
		if (!this.current.settings.plans.some(item => item.name === plan)) {
			throw new SedaiError('not-found', `There is no plan "${plan}": add it to settings.json under "plans".`);
		}

		return this.queue.enqueue(planJob(this, plan));
	}

	/** One verify job per connected medium. */
	startVerifyAll(level: VerifyMode): Job[] {
		const online = this.current.targets.filter(target => target.online && target.root && target.repositoryId);
		if (online.length === 0) {
			throw new SedaiError('not-found', 'No medium with a repository is connected: insert a cartridge (Drives, i) or add a target in Settings.');
		}

		return online.map(target => this.queue.enqueue(verifyJob(this, this.mediumOf(target), level)));
	}

	/** A new repository in a folder (nothing formatted), added to the targets once created. */
	startInit(request: NewTarget): Job {
		// Refused before anything is created when the site could not name it (a name taken, a path in a source).
		const target = targetOf(request);
		this.settingsStore.check({targets: [...this.current.settings.targets.filter(item => item.name !== target.name), target]});
		if (this.current.settings.targets.some(item => item.name === target.name)) {
			throw new SedaiError('usage', `A target is already called "${target.name}": choose another label, or remove that target first.`);
		}

		return this.queue.enqueue(initJob(this, request));
	}

	/** Safe eject of a cartridge named by target name or label. */
	async eject(name: string): Promise<EjectResult> {
		const target = this.requireOnline(this.current.targets.find(item => item.label === name && !this.target(name))?.name ?? name);
		const end = await ejectMedium(this.context(), {target: target.label, busy: label => this.queue.active().some(job => job.label.split(', ').includes(label))});
		if (target.root) {
			this.media.close(target.root);
		}

		if (end.result) {
			this.log.add('ok', {key: 'log.ejected', params: {label: target.label}});
		} else {
			this.log.add('error', {text: end.error?.message ?? `Could not eject ${target.label}.`});
		}

		await this.refresh({quiet: true});
		if (end.failure) {
			throw end.failure;
		}

		return end.result!;
	}

	/** The technician confirms a cartridge that is out (not ejected by Sedai) is stored away. */
	async storedAway(label: string): Promise<void> {
		const end = await confirmStoredAway(this.context(), {target: label});
		if (end.failure) {
			throw end.failure;
		}

		this.log.add('ok', {key: 'log.storedAway', params: {label}});
		await this.refresh({quiet: true});
	}

	/** A generation's manifest (kept for a few recent ones: browsing and diffing reuse them). */
	async loadGeneration(repositoryId: string, generationId: string): Promise<LoadedGeneration> {
		const key = `${repositoryId}:${generationId}`;
		const cached = this.generations.get(key);
		if (cached) {
			return cached;
		}

		const target = this.targetById(repositoryId);
		if (!target?.online) {
			throw new SedaiError('not-found', `"${target?.label ?? 'That cartridge'}" is offline: insert it to browse its files.`);
		}

		const repository = await this.open(target);
		const loaded = await repository.readGeneration(generationId);
		this.generations.set(key, loaded);
		while (this.generations.size > 4) {
			this.generations.delete(this.generations.keys().next().value!);
		}

		return loaded;
	}

	updateSettings(partial: Partial<SiteSettings>): void {
		this.settingsStore.update(partial);
		this.set({settings: this.settingsStore.get()});
		void this.refresh({quiet: true});
	}

	private requireOnline(name: string): TargetStatus {
		const target = this.target(name);
		if (!target) {
			throw new SedaiError('not-found', `There is no target "${name}": add it under Settings → Targets.`);
		}

		if (!target.online) {
			throw new SedaiError('not-found', `"${target.label}" is not connected: insert the cartridge (or reconnect the folder) and press r on Drives.`);
		}

		return target;
	}

	private lastActive = 0;

	private onQueueChange(): void {
		const active = this.queue.active().length;
		if (active < this.lastActive) {
			void this.refresh({quiet: true});
		}

		this.lastActive = active;
	}

	/** After a job wrote to a medium, read it again on the next refresh. */
	forgetRemembered(repositoryId: string): void {
		this.remembered.delete(repositoryId);
	}

	private set(patch: Partial<Snapshot>): void {
		this.current = {...this.current, ...patch};
		for (const listener of this.listeners) {
			listener();
		}
	}
}
