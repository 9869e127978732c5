import fs from 'node:fs';
import path from 'node:path';
import {sedaiHome} from './store.js';

/**
 * The console's log kept on disk, one file per day ($SEDAI_HOME/log/2026-12-02.jsonl, one JSON
 * entry per line), so an error seen yesterday can be read today. Messages are stored as keys and
 * parameters, not sentences: they are shown in whatever language the console has when read.
 * The log is a convenience: a folder that cannot be written turns it off, never the console.
 */
export type StoredLogEntry = {time: number; level: 'info' | 'ok' | 'warn' | 'error'; message: {key: string; params?: Record<string, string | number>} | {text: string}};

const suffix = '.jsonl';
/** Entries read back at start: enough for days of work, few enough to draw at once. */
const readBack = 500;

export function logDirectory(): string {
	return path.join(sedaiHome(), 'log');
}

function day(time: number): string {
	const date = new Date(time);
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function isEntry(value: unknown): value is StoredLogEntry {
	const entry = value as Partial<StoredLogEntry> | undefined;
	return typeof entry?.time === 'number' && typeof entry.level === 'string' && typeof entry.message === 'object' && entry.message !== null;
}

export class LogStore {
	private broken = false;

	constructor(private readonly directory = logDirectory(), private readonly keepDays = 30) {}

	append(entry: StoredLogEntry): void {
		if (this.broken) {
			return;
		}

		try {
			fs.mkdirSync(this.directory, {recursive: true, mode: 0o700});
			fs.appendFileSync(path.join(this.directory, day(entry.time) + suffix), JSON.stringify(entry) + '\n', {mode: 0o600});
		} catch {
			this.broken = true;
		}
	}

	/** The newest entries of the days kept, oldest first; files older than that are deleted. */
	recent(now = Date.now()): StoredLogEntry[] {
		let names: string[];
		try {
			names = fs.readdirSync(this.directory).filter(name => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(name)).sort();
		} catch {
			return [];
		}

		const oldest = day(now - (this.keepDays * 86_400_000));
		const entries: StoredLogEntry[] = [];
		for (const name of names) {
			const file = path.join(this.directory, name);
			if (name.slice(0, 10) < oldest) {
				removeQuietly(file);
				continue;
			}

			entries.push(...readEntries(file));
		}

		return entries.slice(-readBack);
	}
}

function readEntries(file: string): StoredLogEntry[] {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}

	const entries: StoredLogEntry[] = [];
	for (const line of text.split('\n')) {
		try {
			const value: unknown = JSON.parse(line);
			if (isEntry(value)) {
				entries.push(value);
			}
		} catch {
			// An empty last line, or one cut short by a crash: skip it.
		}
	}

	return entries;
}

function removeQuietly(file: string): void {
	try {
		fs.rmSync(file, {force: true});
	} catch {
		// Not ours to delete (permissions): it stays, and is skipped by its date.
	}
}
