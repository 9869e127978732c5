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

export class ActivityLog {
	private entries: LogEntry[] = [];
	private next = 1;
	private readonly listeners = new Set<() => void>();

	add(level: LogLevel, message: LogMessage, now = Date.now()): void {
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
