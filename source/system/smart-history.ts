import fs from 'node:fs/promises';
import path from 'node:path';
import {sedaiHome} from '../settings/store.js';
import type {SmartReading} from './smart.js';

/**
 * The last bad-sector counts seen per drive (by serial), so a count that grows between two looks
 * is called out. A small local file beside state.json; losing it only loses the comparison.
 */
type Entry = {reallocatedSectors?: number; pendingSectors?: number; time: string};

function file(): string {
	return path.join(sedaiHome(), 'smart-history.json');
}

/**
 * One key to look a drive up and to save it under: the disk's own serial as smartctl reads it
 * (behind a USB bridge lsblk shows the bridge's serial, or none), else lsblk's, else the path.
 */
export function smartHistoryKey(node: {serial?: string; path: string}, smartctlJson: string): string {
	let serial: unknown;
	try {
		serial = (JSON.parse(smartctlJson) as {serial_number?: unknown}).serial_number;
	} catch {
		// Not JSON: no reading either, so the key is only looked up.
	}

	return typeof serial === 'string' && serial !== '' ? serial : node.serial ?? node.path;
}

export async function loadSmartHistory(): Promise<Record<string, Entry>> {
	try {
		return JSON.parse(await fs.readFile(file(), 'utf8')) as Record<string, Entry>;
	} catch {
		return {};
	}
}

export async function saveSmartHistory(history: Record<string, Entry>, readings: Array<{key: string; reading: SmartReading}>, now = new Date()): Promise<void> {
	if (readings.length === 0) {
		return;
	}

	for (const {key, reading} of readings) {
		history[key] = {
			...(reading.reallocatedSectors === undefined ? {} : {reallocatedSectors: reading.reallocatedSectors}),
			...(reading.pendingSectors === undefined ? {} : {pendingSectors: reading.pendingSectors}),
			time: now.toISOString(),
		};
	}

	try {
		await fs.mkdir(path.dirname(file()), {recursive: true});
		await fs.writeFile(file(), JSON.stringify(history, undefined, 2) + '\n');
	} catch {
		// Not fatal: the next look simply has nothing to compare with.
	}
}
