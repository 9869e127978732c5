import path from 'node:path';
import type {JobTrack} from '../settings/job-journal-reader.js';
import type {CartridgeRecord} from '../settings/state.js';
import {formatAge} from '../text/format.js';
import type {Symbols} from '../text/symbols.js';
import type {Tone} from './segments.js';

/**
 * The cartridges (repositories) this machine knows, from the local state: online or offline
 * since when, the newest generation's age and the number of generations, and whether a running
 * job is using it right now.
 */
export type CartridgeRow = {
	key: string;
	label: string;
	/** "● online", "▶ backup" (a running job uses it), "○ offline 3 days" (since it was ejected), "○ missing 2 h". */
	state: string;
	stateTone: Tone;
	newest: string;
	newestTone: Tone;
	generations: string;
	note: string;
	noteTone: Tone;
};

export const cartridgeHeader = {label: 'Cartridge', state: 'State', newest: 'Newest', generations: 'Gens', note: 'Note'};

/** "3 days", "5 h", "12 min": an age where the column title says what it is. */
const age = (ms: number): string => formatAge(ms).replace(/ ago$/, '');

const dayMs = 24 * 60 * 60_000;

function usedBy(cartridge: CartridgeRecord, running: JobTrack[]): JobTrack | undefined {
	return running.find(track => {
		const {repository} = track.start;
		if (repository && cartridge.lastPath) {
			return path.resolve(cartridge.lastPath) === repository;
		}

		return track.start.label === cartridge.label;
	});
}

export function cartridgeRow(cartridge: CartridgeRecord, running: JobTrack[], now: number, symbols: Symbols): CartridgeRow {
	const newest = cartridge.generations.reduce<CartridgeRecord['generations'][number] | undefined>((best, generation) => (!best || generation.time > best.time ? generation : best), undefined);
	const job = usedBy(cartridge, running);
	const suspect = cartridge.generations.filter(generation => generation.suspect).length;
	const offline = Boolean(cartridge.offlineSince);
	const newestAge = newest ? now - Date.parse(newest.time) : undefined;
	let state: string;
	let stateTone: Tone;
	if (job) {
		state = `${symbols.running} ${job.start.kind}`;
		stateTone = 'accent';
	} else if (offline) {
		const missing = cartridge.offlineReason === 'disappeared';
		state = `${symbols.offline} ${missing ? 'missing' : 'offline'} ${age(now - Date.parse(cartridge.offlineSince!))}`;
		stateTone = missing ? 'warn' : 'normal';
	} else {
		state = `${symbols.online} online`;
		stateTone = 'ok';
	}

	return {
		key: cartridge.id,
		label: cartridge.label,
		state,
		stateTone,
		newest: newest ? age(newestAge!) : 'none',
		// A newest generation older than two days means the nightly backup is not reaching it.
		newestTone: newestAge === undefined || newestAge > 2 * dayMs ? 'warn' : 'normal',
		generations: String(cartridge.generations.length),
		note: suspect > 0 ? `${symbols.warn} ${suspect} SUSPECT` : (cartridge.removable === true && !cartridge.encrypted ? 'not encrypted' : ''),
		noteTone: suspect > 0 ? 'bad' : 'warn',
	};
}

/** Cartridges in use first, then online ones, then the shelf; by label within each. */
export function cartridgeRows(cartridges: CartridgeRecord[], tracks: JobTrack[], now: number, symbols: Symbols): CartridgeRow[] {
	const running = tracks.filter(track => track.status === 'running');
	const rank = (row: CartridgeRow) => (row.stateTone === 'accent' ? 0 : (row.stateTone === 'ok' ? 1 : 2));
	return cartridges
		.map(cartridge => cartridgeRow(cartridge, running, now, symbols))
		.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
}
