import {journalDirectory} from '../settings/job-journal.js';
import {JournalReader} from '../settings/job-journal-reader.js';
import {StateStore} from '../settings/state.js';
import {SettingsStore} from '../settings/store.js';
import type {MonitorInput} from './view-model.js';

/**
 * Where the monitor's data comes from, read by polling: the job journals on every tick (only
 * what was appended), the local state (cartridges, verifications, drills) every few seconds.
 * Nothing here writes; a broken state file becomes a message, not a crash.
 */
type StateSnapshot = Pick<MonitorInput, 'cartridges' | 'verifications' | 'drills' | 'stateProblem'>;

export class MonitorSource {
	private readonly reader: JournalReader;
	private store: StateStore | undefined;
	private snapshot: StateSnapshot = {cartridges: [], verifications: [], drills: []};
	private stateReadAt = Number.NEGATIVE_INFINITY;
	private readonly site: string | undefined;

	constructor(private readonly options: {directory?: string; home?: string; stateEveryMs?: number} = {}) {
		this.reader = new JournalReader(options.directory ?? journalDirectory());
		try {
			this.site = new SettingsStore(options.home).get().site;
		} catch {
			// The header just goes without the site's name.
		}
	}

	read(now = Date.now(), force = false): MonitorInput {
		if (force || now - this.stateReadAt >= (this.options.stateEveryMs ?? 2000)) {
			this.stateReadAt = now;
			this.snapshot = this.readState();
		}

		return {now, jobs: this.reader.poll(), ...this.snapshot, ...(this.site ? {site: this.site} : {})};
	}

	private readState(): StateSnapshot {
		try {
			this.store ??= new StateStore(this.options.home);
			return {cartridges: this.store.cartridges(), verifications: this.store.verifications(), drills: this.store.drills()};
		} catch (error) {
			this.store = undefined;
			return {...this.snapshot, stateProblem: error instanceof Error ? error.message : String(error)};
		}
	}
}
