import type Conf from 'conf';
import type {CartridgeRecord, DrillRecord, GenerationSummary, VerificationRecord} from '../core/policy/records.js';
import {openConf} from './store.js';

/**
 * What Sedai has learned on this machine: every cartridge (repository) it has seen, online or
 * not, with its generations as last read; verification and restore-drill records. A cartridge is
 * known by its repository id, never by /dev/sdX.
 */
// The records themselves are the compliance policy's evidence, so their shapes live in core.
export type {CartridgeRecord, DrillRecord, GenerationSummary, ProtectionState, VerificationRecord} from '../core/policy/records.js';

export type State = {
	cartridges: Record<string, CartridgeRecord>;
	verifications: VerificationRecord[];
	drills: DrillRecord[];
};

const keepRecords = 200;

export class StateStore {
	private readonly conf: Conf<State>;

	constructor(directory?: string) {
		this.conf = openConf<State>({name: 'state', directory, defaults: {cartridges: {}, verifications: [], drills: []}});
	}

	get path(): string {
		return this.conf.path;
	}

	cartridges(): CartridgeRecord[] {
		return Object.values(this.conf.get('cartridges')).sort((a, b) => a.label.localeCompare(b.label));
	}

	cartridge(id: string): CartridgeRecord | undefined {
		return this.conf.get('cartridges')[id];
	}

	findByLabel(label: string): CartridgeRecord | undefined {
		return this.cartridges().find(cartridge => cartridge.label === label);
	}

	/** Record a sighting: it is online now, so any "offline since" ends. */
	remember(record: Omit<CartridgeRecord, 'firstSeen' | 'lastSeen' | 'offlineSince' | 'offlineReason' | 'generations'> & {generations?: GenerationSummary[]}, now = new Date()): CartridgeRecord {
		const all = this.conf.get('cartridges');
		const previous = all[record.id];
		const merged: CartridgeRecord = {
			...previous,
			...record,
			firstSeen: previous?.firstSeen ?? now.toISOString(),
			lastSeen: now.toISOString(),
			generations: record.generations ?? previous?.generations ?? [],
		};
		delete merged.offlineSince;
		delete merged.offlineReason;
		this.conf.set('cartridges', {...all, [record.id]: merged});
		return merged;
	}

	markOffline(id: string, reason: 'ejected' | 'disappeared', now = new Date()): CartridgeRecord | undefined {
		const all = this.conf.get('cartridges');
		const record = all[id];
		if (!record) {
			return undefined;
		}

		// A cartridge that vanished stays offline since it was first missed, not since each look.
		if (record.offlineSince && reason === 'disappeared') {
			return record;
		}

		const updated: CartridgeRecord = {...record, offlineSince: now.toISOString(), offlineReason: reason};
		this.conf.set('cartridges', {...all, [id]: updated});
		return updated;
	}

	forget(id: string): void {
		const all = Object.fromEntries(Object.entries(this.conf.get('cartridges')).filter(([key]) => key !== id));
		this.conf.set('cartridges', all);
	}

	verifications(): VerificationRecord[] {
		return this.conf.get('verifications');
	}

	recordVerification(record: VerificationRecord): void {
		this.conf.set('verifications', [...this.verifications(), record].slice(-keepRecords));
	}

	drills(): DrillRecord[] {
		return this.conf.get('drills');
	}

	recordDrill(record: DrillRecord): void {
		this.conf.set('drills', [...this.drills(), record].slice(-keepRecords));
	}
}
