import type {DriveReport} from './types.js';

/** Options for a safe eject. */
export type EjectOptions = {
	/** Record the cartridge offline in this state folder (default: SEDAI_HOME). */
	now?: Date;
};

export type EjectResult = {
	/** What was asked: a label or a mount point. */
	target: string;
	ok: boolean;
	device?: string;
	mountpoint?: string;
	/** Cartridges (repositories) that went offline. */
	cartridges: Array<{id: string; label: string; offlineSince: string}>;
	/** What was done, in order (sync, umount, power-off …). */
	steps: string[];
	notes: string[];
};

export type MountResult = {
	label: string;
	device: string;
	mountpoint: string;
	alreadyMounted: boolean;
};

/** Where drive facts come from: the real machine (Linux) or the demo world's bays. */
export type DriveSource = {
	readonly kind: 'linux' | 'demo';
	list(): Promise<DriveReport>;
	eject(target: string, options?: EjectOptions): Promise<EjectResult>;
	mount?(label: string): Promise<MountResult>;
};

export function driveSource(): DriveSource {
	return {
		kind: process.env['SEDAI_DEMO_DIR'] ? 'demo' : 'linux',
		async list() {
			return {drives: [], notes: ['drive inspection is being built']};
		},
		async eject(target) {
			return {target, ok: false, cartridges: [], steps: [], notes: ['not yet']};
		},
	};
}
