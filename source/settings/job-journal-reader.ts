import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Phase} from '../core/jobs/events.js';
import {journalSuffix, processStartTicks, type JournalEnd, type JournalNote, type JournalPhase, type JournalProgress, type JournalRecord, type JournalStart, type JournalWarning} from './job-journal.js';

/**
 * Reads the job journals incrementally: each poll reads only what was appended since the last
 * one, and a finished journal is never read again. What it keeps per job is bounded (the last
 * progress, a window of throughput samples, the last log lines), however long the job ran.
 */
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export type JournalLogRecord = JournalPhase | JournalWarning | JournalNote | JournalEnd;

/** A log record with a key that stays the same across polls (file name and line number). */
export type JobLogEntry = {key: string; record: JournalLogRecord};

export type RateSample = {time: number; rate: number};

export type JobTrack = {
	name: string;
	start: JournalStart;
	status: JobStatus;
	phase?: Phase;
	/** The last phase message ("Reading and re-hashing 176 pack(s)"). */
	activity?: string;
	last?: JournalProgress;
	end?: JournalEnd;
	log: JobLogEntry[];
	samples: RateSample[];
	warnings: number;
	/** Time of the newest record (ms). */
	lastTime: number;
};

export type ReaderOptions = {
	/** Throughput samples kept per job, by age relative to its newest one (default 15 min). */
	sampleWindowMs?: number;
	/** Log entries kept per job (default 200). */
	maxLog?: number;
	/** Whether a job without an end record still runs; default: its process is alive. */
	isAlive?: (start: JournalStart, lastTime: number) => boolean;
};

/**
 * Does the process that wrote this journal still run? On Linux the pid's start time must match
 * too (pids are reused). Another machine's processes cannot be seen: there, a journal that
 * stayed silent for ten minutes counts as interrupted.
 */
export function journalProcessAlive(start: JournalStart, lastTime: number, now = Date.now()): boolean {
	if (start.host !== os.hostname()) {
		return now - lastTime < 10 * 60_000;
	}

	if (start.procStart && processStartTicks('self') !== undefined) {
		return processStartTicks(start.pid) === start.procStart;
	}

	try {
		process.kill(start.pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

type FileState = {offset: number; partial: Buffer; lines: number; track?: JobTrack};

function statusOfEnd(end: JournalEnd): JobStatus {
	if (end.ok) {
		return 'done';
	}

	return end.status === 'cancelled' || end.error?.code === 'cancelled' || end.exitCode === 130 ? 'cancelled' : 'failed';
}

export class JournalReader {
	private readonly files = new Map<string, FileState>();
	private readonly sampleWindowMs: number;
	private readonly maxLog: number;
	private readonly isAlive: (start: JournalStart, lastTime: number) => boolean;

	constructor(readonly directory: string, options: ReaderOptions = {}) {
		this.sampleWindowMs = options.sampleWindowMs ?? 15 * 60_000;
		this.maxLog = options.maxLog ?? 200;
		this.isAlive = options.isAlive ?? ((start, lastTime) => journalProcessAlive(start, lastTime));
	}

	/** Every job journal in the folder, oldest first. A missing folder means no jobs yet. */
	poll(): JobTrack[] {
		let names: string[];
		try {
			names = fs.readdirSync(this.directory).filter(name => name.endsWith(journalSuffix)).sort();
		} catch {
			names = [];
		}

		const present = new Set(names);
		for (const name of this.files.keys()) {
			if (!present.has(name)) {
				this.files.delete(name);
			}
		}

		const tracks: JobTrack[] = [];
		for (const name of names) {
			let state = this.files.get(name);
			if (!state) {
				state = {offset: 0, partial: Buffer.alloc(0), lines: 0};
				this.files.set(name, state);
			}

			if (!state.track?.end) {
				this.readMore(name, state);
			}

			const {track} = state;
			if (!track) {
				continue;
			}

			if (!track.end) {
				track.status = this.isAlive(track.start, track.lastTime) ? 'running' : 'interrupted';
			}

			tracks.push(track);
		}

		return tracks;
	}

	private readMore(name: string, state: FileState): void {
		let chunk: Buffer;
		try {
			const fd = fs.openSync(path.join(this.directory, name), 'r');
			try {
				const {size} = fs.fstatSync(fd);
				if (size <= state.offset) {
					return;
				}

				chunk = Buffer.alloc(size - state.offset);
				const read = fs.readSync(fd, chunk, 0, chunk.length, state.offset);
				chunk = chunk.subarray(0, read);
				state.offset += read;
			} finally {
				fs.closeSync(fd);
			}
		} catch {
			// Rotated away between listing and reading.
			return;
		}

		let data = state.partial.length > 0 ? Buffer.concat([state.partial, chunk]) : chunk;
		let newline = data.indexOf(10);
		while (newline !== -1) {
			const line = data.subarray(0, newline).toString('utf8');
			data = data.subarray(newline + 1);
			state.lines++;
			this.apply(name, state, line);
			newline = data.indexOf(10);
		}

		// Keep a half-written last line (bytes, not text: it may end inside a character).
		state.partial = Buffer.from(data);
	}

	private apply(name: string, state: FileState, line: string): void {
		let record: JournalRecord;
		try {
			record = JSON.parse(line) as JournalRecord;
		} catch {
			return;
		}

		if (record.type === 'start') {
			state.track ??= {name, start: record, status: 'running', log: [], samples: [], warnings: 0, lastTime: Date.parse(record.time)};
			return;
		}

		const {track} = state;
		if (!track) {
			return;
		}

		const time = Date.parse(record.t);
		if (Number.isFinite(time)) {
			track.lastTime = Math.max(track.lastTime, time);
		}

		switch (record.type) {
			case 'progress': {
				track.last = record;
				track.phase = record.phase;
				// Rates below zero happen right after a phase change restarts the byte count.
				track.samples.push({time, rate: Math.max(0, record.rate)});
				const oldest = time - this.sampleWindowMs;
				while (track.samples.length > 0 && track.samples[0].time < oldest) {
					track.samples.shift();
				}

				return;
			}

			case 'phase': {
				track.phase = record.phase;
				track.activity = record.message;
				break;
			}

			case 'warning': {
				track.warnings++;
				break;
			}

			case 'end': {
				track.end = record;
				track.status = statusOfEnd(record);
				break;
			}

			case 'note': {
				break;
			}
		}

		track.log.push({key: `${name}#${state.lines}`, record});
		if (track.log.length > this.maxLog) {
			track.log.shift();
		}
	}
}
