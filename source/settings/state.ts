import type Conf from 'conf';
import {openConf} from './store.js';

/**
 * What Sedai has learned on this machine: every cartridge (repository) it has seen, online or
 * not, with its generations as last read; verification and restore-drill records. A cartridge is
 * known by its repository id, never by /dev/sdX.
 */
export type ProtectionState = 'immutable' | 'read-only' | 'offline' | 'none';

export type GenerationSummary = {
	id: string;
	shortId: string;
	seq: number;
	time: string;
	files: number;
	bytes: number;
	newBytes: number;
	storedBytes: number;
	suspect: boolean;
	suspectReasons?: string[];
	protection?: ProtectionState;
	/** Why it is not protected, when it is not (e.g. "exFAT has no immutable flag"). */
	protectionNote?: string;
};

export type CartridgeRecord = {
	id: string;
	label: string;
	site?: string;
	encrypted: boolean;
	firstSeen: string;
	lastSeen: string;
	/** Repository folder when last seen. */
	lastPath?: string;
	lastMount?: string;
	lastDevice?: string;
	fsType?: string;
	removable?: boolean;
	/** When it was last safely ejected or found missing; absent while online. */
	offlineSince?: string;
	offlineReason?: 'ejected' | 'disappeared';
	generations: GenerationSummary[];
};

export type VerificationRecord = {
	repositoryId: string;
	label: string;
	level: 'structure' | 'full';
	ok: boolean;
	time: string;
	durationMs: number;
	problems: number;
	bytesRead: number;
};

export type DrillRecord = {
	repositoryId: string;
	label: string;
	generation: string;
	generationTime: string;
	time: string;
	ok: boolean;
	files: number;
	bytes: number;
	restoreMs: number;
	verifyMs: number;
	into: string;
	mismatches: number;
	/** A full drill (with a report), or a plain test restore when absent. */
	kind?: 'drill';
	/** The drill's JSON report on this machine. */
	report?: string;
	/** The whole drill's time, every step (the RTO); a test restore has only restoreMs. */
	rtoMs?: number;
};

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
