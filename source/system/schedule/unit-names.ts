import fs from 'node:fs/promises';
import {unitSlug} from './unit-text.js';

export type UnitNames = {backupService: string; backupTimer: string; verifyService: string; verifyTimer: string};

export function unitNames(plan: string): UnitNames {
	const slug = unitSlug(plan);
	return {
		backupService: `sedai-backup-${slug}.service`,
		backupTimer: `sedai-backup-${slug}.timer`,
		verifyService: `sedai-verify-${slug}.service`,
		verifyTimer: `sedai-verify-${slug}.timer`,
	};
}

/** The test systemd itself uses (sd_booted): this folder exists only while systemd is PID 1. */
export async function systemdRunning(): Promise<boolean> {
	return fs.stat('/run/systemd/system').then(stat => stat.isDirectory(), () => false);
}
