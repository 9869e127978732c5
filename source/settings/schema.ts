/**
 * The site profile a technician sets up once per clinic: what to back up, where to, how long to
 * keep it, and how strict the guideline checks are. Stored with conf (JSON, validated).
 */
export type TargetKind = 'cartridge' | 'folder';

export type Target = {
	/** Name used in plans and the UI, e.g. "RDX-A" or "NAS". */
	name: string;
	/**
	 * Cartridge: a removable medium found by its repository label wherever it is mounted;
	 * folder: a fixed path (NAS share, second disk).
	 */
	kind: TargetKind;
	/** Repository label to look for (cartridges). */
	label?: string;
	/** Repository folder (folders), or a cartridge's folder below its mount point (default "sedai"). */
	path?: string;
	/** This target's own retention (e.g. a NAS keeping more dailies than a cartridge); default: the site's. */
	retention?: Retention;
};

export type Plan = {
	name: string;
	/** Defaults to the site's sources. */
	sources?: string[];
	/** Target names: two or more kinds make "more than one method". */
	targets: string[];
};

export type Retention = {
	keepLast: number;
	daily: number;
	weekly: number;
	monthly: number;
	yearly: number;
};

export type ComplianceThresholds = {
	minGenerations: number;
	/** Days within which a full verification must have passed. */
	verifyWithinDays: number;
	/** Days within which a restore drill must have passed. */
	drillWithinDays: number;
	/** Days an offline copy may be old and still count. */
	offlineWithinDays: number;
};

export type SentinelThresholds = {
	changedShare: number;
	deletedShare: number;
	renamedShare: number;
	newExtensionFiles: number;
	entropyBitsPerByte: number;
};

export type Language = 'auto' | 'en' | 'ja';

export type SiteSettings = {
	site: string;
	language: Language;
	sources: string[];
	targets: Target[];
	plans: Plan[];
	/** Target names of cartridges rotated A → B → C. */
	rotation: string[];
	retention: Retention;
	compliance: ComplianceThresholds;
	sentinel: SentinelThresholds;
	/** Where test restores go when no folder is named. */
	scratch: string;
	/** Passphrase: asked in the UI each session, or read from a root-only file. Never stored here. */
	passphraseFile?: string;
};

export const defaultSettings = (): SiteSettings => ({
	site: 'My clinic',
	language: 'auto',
	sources: [],
	targets: [],
	plans: [],
	rotation: [],
	retention: {keepLast: 3, daily: 7, weekly: 4, monthly: 12, yearly: 3},
	compliance: {minGenerations: 3, verifyWithinDays: 31, drillWithinDays: 90, offlineWithinDays: 8},
	sentinel: {changedShare: 0.2, deletedShare: 0.2, renamedShare: 0.1, newExtensionFiles: 50, entropyBitsPerByte: 7.5},
	scratch: '/var/tmp/sedai-restore',
});

const count = {type: 'integer', minimum: 0, maximum: 10_000} as const;
const share = {type: 'number', minimum: 0, maximum: 1} as const;

export const settingsSchema = {
	site: {type: 'string'},
	language: {enum: ['auto', 'en', 'ja']},
	sources: {type: 'array', items: {type: 'string'}},
	targets: {
		type: 'array',
		items: {
			type: 'object',
			required: ['name', 'kind'],
			properties: {
				name: {type: 'string', minLength: 1},
				kind: {enum: ['cartridge', 'folder']},
				label: {type: 'string'},
				path: {type: 'string'},
				retention: {type: 'object', properties: {keepLast: count, daily: count, weekly: count, monthly: count, yearly: count}},
			},
		},
	},
	plans: {
		type: 'array',
		items: {
			type: 'object',
			required: ['name', 'targets'],
			properties: {
				name: {type: 'string', minLength: 1},
				sources: {type: 'array', items: {type: 'string'}},
				targets: {type: 'array', items: {type: 'string'}},
			},
		},
	},
	rotation: {type: 'array', items: {type: 'string'}},
	retention: {
		type: 'object',
		properties: {keepLast: count, daily: count, weekly: count, monthly: count, yearly: count},
	},
	compliance: {
		type: 'object',
		properties: {minGenerations: count, verifyWithinDays: count, drillWithinDays: count, offlineWithinDays: count},
	},
	sentinel: {
		type: 'object',
		properties: {changedShare: share, deletedShare: share, renamedShare: share, newExtensionFiles: count, entropyBitsPerByte: {type: 'number', minimum: 0, maximum: 8}},
	},
	scratch: {type: 'string'},
	passphraseFile: {type: 'string'},
} as const;
