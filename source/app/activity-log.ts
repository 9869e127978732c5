/**
 * The session's log: what happened, newest last. Entries carry a message key and parameters so
 * the UI can show them in the technician's language; engine sentences travel as plain text.
 */
export type LogLevel = 'info' | 'ok' | 'warn' | 'error';

export type LogMessage = {key: string; params?: Record<string, string | number>} | {text: string};

export type LogEntry = {
	id: number;
	time: number;
	level: LogLevel;
	message: LogMessage;
};

const keep = 500;

/** Where entries are kept between sessions (the settings layer's LogStore). */
export type LogKeeper = {
	append: (entry: Omit<LogEntry, 'id'>) => void;
	recent: () => Array<Omit<LogEntry, 'id'>>;
};

export class ActivityLog {
	private entries: LogEntry[] = [];
	private next = 1;
	private readonly listeners = new Set<() => void>();

	/** With a keeper, the log starts with what earlier sessions wrote and keeps what this one adds. */
	constructor(private readonly keeper?: LogKeeper) {
		for (const entry of keeper?.recent() ?? []) {
			this.entries.push({...entry, id: this.next++});
		}
	}

	add(level: LogLevel, message: LogMessage, now = Date.now()): void {
		this.keeper?.append({time: now, level, message});
		this.entries = [...this.entries, {id: this.next++, time: now, level, message}].slice(-keep);
		for (const listener of this.listeners) {
			listener();
		}
	}

	list(): readonly LogEntry[] {
		return this.entries;
	}

	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}
}
