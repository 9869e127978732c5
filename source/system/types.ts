import type {Message} from '../core/message.js';

/**
 * What the system layer reports about drives and cartridges. The TUI's Drives view and
 * `sedai drives --json` both render exactly this.
 */
export type SmartVerdict = 'ok' | 'warning' | 'failing' | 'unknown';

export type SmartInfo = {
	/** False when smartctl is missing, not permitted, or the device has no SMART (loop, USB bridge). */
	available: boolean;
	/** Why SMART data is missing, and how to get it (e.g. "install smartmontools"). */
	note?: string;
	/** The drive's own overall self-assessment. */
	passed?: boolean;
	verdict: SmartVerdict;
	/** Plain-language reasons behind the verdict (English). */
	reasons: string[];
	/** The same reasons as message codes, for front ends that render them in their language. */
	reasonRefs?: Message[];
	/** `note` as a message code. */
	noteRef?: Message;
	reallocatedSectors?: number;
	pendingSectors?: number;
	powerOnHours?: number;
	temperatureC?: number;
	/** Entries in the drive's own error log. */
	errorLogCount?: number;
	/** The attribute table smartctl reads from an ATA drive, for the drive tab. */
	attributes?: SmartAttribute[];
	/** The drive's self-test log, newest first. */
	selfTests?: SmartSelfTest[];
};

export type SmartAttribute = {id: number; name: string; value?: number; worst?: number; threshold?: number; raw: string; prefailure: boolean; failedNow: boolean};

export type SmartSelfTest = {type: string; status: string; passed?: boolean; hours?: number};

export type RepositoryOnDrive = {
	/** Repository folder. */
	path: string;
	id: string;
	label: string;
	site?: string;
	encrypted: boolean;
	generations: number;
	/** Newest generation time, when known (sealed files' times; exact once unlocked). */
	newest?: string;
	/** `newest` comes from file times, not the sealed manifest (no passphrase at hand). */
	newestApproximate?: boolean;
	/** A Sedai job holds it right now (e.g. "sedai backup (pid 4242 on host, …)"): do not eject. */
	busy?: string;
};

export type Filesystem = {
	/** /dev/… of the partition or whole device. */
	device: string;
	fsType?: string;
	label?: string;
	uuid?: string;
	mountpoint?: string;
	size?: number;
	available?: number;
	/** Mounted read-only (or the device is write-protected). */
	readOnly: boolean;
	/** Why it is read-only, in words ("hardware write-protect on", "mounted read-only"). */
	readOnlyReason?: string;
	repositories: RepositoryOnDrive[];
};

export type Drive = {
	/** Kernel name, e.g. sda, loop3, nvme0n1. */
	name: string;
	/** /dev/… path. */
	path: string;
	model?: string;
	serial?: string;
	/** Usb, sata, nvme, loop, … */
	transport?: string;
	size: number;
	removable: boolean;
	/** Hardware write-protect (/sys/block/X/ro). */
	writeProtected: boolean;
	rotational?: boolean;
	filesystems: Filesystem[];
	smart: SmartInfo;
	/** For a loop device: the image file behind it. */
	backingFile?: string;
};

export type DriveReport = {
	/** Where the facts came from: this machine, or the demo world's bays. */
	source?: 'linux' | 'demo';
	/** When the report was taken (ISO). */
	time?: string;
	drives: Drive[];
	/** What could not be known and how to fix it (missing tools, not root, …). */
	notes: string[];
};
