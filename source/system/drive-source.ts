import {StateStore} from '../settings/state.js';
import {rememberReport, type PassphraseLookup} from './cartridge-memory.js';
import {demoDir} from './demo-bays.js';
import {ejectDemo, insertDemo, listDemoDrives} from './demo-drives.js';
import {ejectLinux, type EjectResult} from './eject.js';
import {listLinuxDrives} from './linux-drives.js';
import {mountByLabel, type MountResult} from './mount-cartridge.js';
import type {DriveReport} from './types.js';

/**
 * Where drive facts come from: this machine (Linux) or, when SEDAI_DEMO_DIR is set, the demo
 * world's bays. The TUI and the headless commands use only this interface. Every `list()`
 * also updates the local memory of cartridges (seen now / gone missing) unless told not to.
 */
export type {EjectResult} from './eject.js';
export type {MountResult} from './mount-cartridge.js';

export type ListOptions = {
	/** Update the local memory of cartridges (default true). */
	remember?: boolean;
	/** The state store to use (default: the one under SEDAI_HOME). */
	state?: StateStore;
	/** A passphrase already at hand (never prompts), to remember each generation's details. */
	passphrase?: PassphraseLookup;
};

export type EjectOptions = {
	state?: StateStore;
	now?: Date;
};

export type DriveSource = {
	readonly kind: 'linux' | 'demo';
	list(options?: ListOptions): Promise<DriveReport>;
	/** Safe eject of a cartridge by repository label, filesystem mount point or /dev path. */
	eject(target: string, options?: EjectOptions): Promise<EjectResult>;
	/** Mount (demo: insert) a known cartridge by its repository label. */
	mount?(label: string, options?: ListOptions): Promise<MountResult>;
};

async function withMemory(report: DriveReport, options: ListOptions, state: () => StateStore): Promise<DriveReport> {
	if (options.remember === false) {
		return report;
	}

	try {
		await rememberReport(options.state ?? state(), report, options.passphrase ? {passphrase: options.passphrase} : {});
	} catch (error) {
		report.notes.push(`The local cartridge memory could not be updated: ${error instanceof Error ? error.message : String(error)}`);
	}

	return report;
}

export function driveSource(): DriveSource {
	let store: StateStore | undefined;
	const state = () => {
		store ??= new StateStore();
		return store;
	};

	const demo = demoDir();
	if (demo) {
		return {
			kind: 'demo',
			async list(options = {}) {
				return withMemory(await listDemoDrives(demo, {state: options.state ?? state()}), options, state);
			},
			async eject(target, options = {}) {
				return ejectDemo(demo, target, {state: options.state ?? state(), ...(options.now ? {now: options.now} : {})});
			},
			async mount(label) {
				return insertDemo(demo, label);
			},
		};
	}

	return {
		kind: 'linux',
		async list(options = {}) {
			return withMemory(await listLinuxDrives({state: options.state ?? state()}), options, state);
		},
		async eject(target, options = {}) {
			return ejectLinux(target, {state: options.state ?? state(), ...(options.now ? {now: options.now} : {})});
		},
		async mount(label, options = {}) {
			return mountByLabel(label, await listLinuxDrives({state: options.state ?? state()}));
		},
	};
}
