import type Conf from 'conf';
import type {CartridgeRecord, DrillRecord, GenerationSummary, OfflineReason, VerificationRecord} from '../core/policy/records.js';
import {openConf} from './store.js';

/**
 * What Sedai has learned on this machine: every cartridge (repository) it has seen, online or
 * not, with its generations as last read; verification and restore-drill records. A cartridge is
 * known by its repository id, never by /dev/sdX.
 */
// The records themselves are the compliance policy's evidence, so their shapes live in core.
export type {CartridgeRecord, DrillRecord, GenerationSummary, OfflineReason, ProtectionState, VerificationRecord} from '../core/policy/records.js';

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

	/** Replace the newest generation remembered for a repository (accepting a deliberate rollback). */
	setChainHead(id: string, head: {seq: number; id: string} | undefined): void {
		const all = this.conf.get('cartridges');
		const previous = all[id];
		if (!previous) {
			return;
		}

		const {chainHead: _old, ...rest} = previous;
		this.conf.set('cartridges', {...all, [id]: head ? {...rest, chainHead: head} : rest});
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

	markOffline(id: string, reason: OfflineReason, now = new Date()): CartridgeRecord | undefined {
		const all = this.conf.get('cartridges');
		const record = all[id];
		if (!record) {
			return undefined;
		}

		// A cartridge that vanished stays offline since it was first missed, not since each look.
		if (record.offlineSince && reason === 'disappeared') {
			return record;
		}

		// Confirming a missing cartridge as stored away keeps when it was first missed.
		const since = reason === 'stored' && record.offlineSince ? record.offlineSince : now.toISOString();
		const updated: CartridgeRecord = {...record, offlineSince: since, offlineReason: reason};
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

	/** Verifications read from a medium itself: kept here too, so they count once it is ejected. */
	importVerifications(records: VerificationRecord[]): number {
		const known = this.verifications();
		const key = (record: VerificationRecord) => `${record.repositoryId}|${record.level}|${record.time}`;
		const seen = new Set(known.map(record => key(record)));
		const fresh = records.filter(record => !seen.has(key(record)));
		if (fresh.length > 0) {
			this.conf.set('verifications', [...known, ...fresh].sort((a, b) => a.time.localeCompare(b.time)).slice(-keepRecords));
		}

		return fresh.length;
	}

	/** Drills read from a medium (its sealed reports); one already recorded here is not added twice. */
	importDrills(records: DrillRecord[]): number {
		const known = this.drills();
		const fresh = records.filter(record => !known.some(drill => sameDrill(drill, record)));
		if (fresh.length > 0) {
			this.conf.set('drills', [...known, ...fresh].sort((a, b) => a.time.localeCompare(b.time)).slice(-keepRecords));
		}

		return fresh.length;
	}

	drills(): DrillRecord[] {
		return this.conf.get('drills');
	}

	recordDrill(record: DrillRecord): void {
		this.conf.set('drills', [...this.drills(), record].slice(-keepRecords));
	}
}

/** The same drill seen twice: the local record and the report the drill sealed on the medium. */
function sameDrill(a: DrillRecord, b: DrillRecord): boolean {
	if (a.repositoryId !== b.repositoryId || a.generation !== b.generation) {
		return false;
	}

	const name = (drill: DrillRecord) => drill.report?.split(/[\\/]/).at(-1);
	if (a.report && b.report && name(a) === name(b)) {
		return true;
	}

	return Math.abs(Date.parse(a.time) - Date.parse(b.time)) < 60_000;
}
