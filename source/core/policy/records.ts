/**
 * What Sedai has learned about each medium (remembered locally by settings/state.ts): the
 * evidence the guideline checks read. Plain data, kept here so the policy needs no settings code.
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

export type OfflineReason = 'ejected' | 'disappeared' | 'stored';

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
	/** Ejected by Sedai, found missing, or confirmed by the technician as stored away after it went missing. */
	offlineReason?: OfflineReason;
	/** The drive's SMART verdict when last seen connected (the drive report's). */
	lastSmart?: {verdict: 'ok' | 'warning' | 'failing' | 'unknown'; time: string};
	generations: GenerationSummary[];
	/** The newest generation ever seen here: only moves forward, so a chain that went backwards is seen (the anchor plaintext repositories lack on the medium). */
	chainHead?: {seq: number; id: string};
};

export type VerificationRecord = {
	repositoryId: string;
	label: string;
	/** A rolling slice is kept as 'slice': it is not a full read until its cycle completes. */
	level: 'structure' | 'full' | 'slice';
	ok: boolean;
	time: string;
	durationMs: number;
	problems: number;
	bytesRead: number;
	/** A rolling slice: the share (0–1) of the medium its cycle has read so far. */
	covered?: number;
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
