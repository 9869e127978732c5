import fs from 'node:fs/promises';
import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {SedaiError} from '../errors.js';
import {message} from '../message.js';
import type {Layout} from './layout.js';
import {ensureDirectory} from './atomic.js';

/**
 * One writer at a time. `append` (backup) excludes other appenders and prune; `exclusive`
 * (prune, protection changes) excludes everything; `read` (verify, restore) only excludes
 * `exclusive`. A lock whose process is provably gone (same host, pid dead or reused) is stale:
 * it is removed with a warning, never silently; a lock from another host is never guessed at.
 */
export type LockKind = 'read' | 'append' | 'exclusive';

export type LockOwner = {
	kind: LockKind;
	operation: string;
	host: string;
	pid: number;
	user: string;
	started: string;
	/** Kernel start time of the process, to tell a reused pid from the owner. */
	processStart?: string;
};

export type LockInfo = LockOwner & {file: string; state: 'alive' | 'gone' | 'unknown'};

export type Lock = {
	file: string | undefined;
	release: () => Promise<void>;
};

function conflicts(a: LockKind, b: LockKind): boolean {
	if (a === 'exclusive' || b === 'exclusive') {
		return true;
	}

	return a === 'append' && b === 'append';
}

export function processStartTime(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Field 22 (starttime), counted after the parenthesised command name.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return fields[19];
	} catch {
		return undefined;
	}
}

function processState(owner: LockOwner): LockInfo['state'] {
	if (owner.host !== os.hostname()) {
		return 'unknown';
	}

	try {
		process.kill(owner.pid, 0);
	} catch (error) {
		if ((error as {code?: string}).code === 'ESRCH') {
			return 'gone';
		}
	}

	if (owner.processStart && process.platform === 'linux') {
		const now = processStartTime(owner.pid);
		if (now !== undefined && now !== owner.processStart) {
			return 'gone';
		}
	}

	return 'alive';
}

export async function listLocks(layout: Layout): Promise<LockInfo[]> {
	let names: string[];
	try {
		names = await fs.readdir(layout.locks);
	} catch {
		return [];
	}

	const locks: LockInfo[] = [];
	for (const name of names.filter(name => name.endsWith('.json'))) {
		const file = path.join(layout.locks, name);
		try {
			const owner = JSON.parse(await fs.readFile(file, 'utf8')) as LockOwner;
			locks.push({...owner, file, state: processState(owner)});
		} catch {
			// A half-written lock file: its writer died before finishing the JSON.
			locks.push({kind: 'exclusive', operation: 'unknown', host: 'unknown', pid: 0, user: 'unknown', started: '', file, state: 'gone'});
		}
	}

	return locks;
}

export function describeHolder(lock: LockInfo): string {
	const since = lock.started ? `, since ${lock.started}` : '';
	return `sedai ${lock.operation} (pid ${lock.pid} on ${lock.host}, user ${lock.user}${since})`;
}

/**
 * A lock file appears whole or not at all: written under a name listLocks ignores, then linked
 * into place. (Written in place, another process could read it empty and take it for a dead one.)
 */
async function placeLockFile(file: string, text: string): Promise<void> {
	// A dot name: neither a lock (*.json) nor a prefix match for those who wait for `kind-*`.
	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
	await fs.writeFile(temporary, text, {flag: 'wx'});
	try {
		await fs.link(temporary, file);
	} catch (error) {
		// FAT/exFAT have no hard links; the random name means a rename cannot replace another lock.
		if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK'].includes((error as {code?: string}).code ?? '')) {
			await fs.rm(temporary, {force: true});
			throw error;
		}

		await fs.rename(temporary, file);
		return;
	}

	await fs.rm(temporary, {force: true});
}

export async function acquireLock(layout: Layout, kind: LockKind, operation: string, onWarning: (message: string) => void): Promise<Lock> {
	const owner: LockOwner = {
		kind,
		operation,
		host: os.hostname(),
		pid: process.pid,
		user: os.userInfo().username,
		started: new Date().toISOString(),
		processStart: processStartTime(process.pid),
	};
	const file = path.join(layout.locks, `${kind}-${randomBytes(8).toString('hex')}.json`);
	try {
		await ensureDirectory(layout.locks);
		await placeLockFile(file, JSON.stringify(owner));
	} catch (error) {
		if (kind === 'read' && ['EROFS', 'EACCES', 'EPERM'].includes((error as {code?: string}).code ?? '')) {
			// A write-protected cartridge cannot be pruned under us: reading needs no lock there.
			return {file: undefined, release: async () => undefined};
		}

		throw error;
	}

	const release = async () => {
		await fs.rm(file, {force: true});
	};

	for (const other of await listLocks(layout)) {
		if (other.file === file) {
			continue;
		}

		// Any lock whose process is provably gone goes, conflicting or not: read locks of killed
		// verifies and restores would otherwise pile up until a prune.
		if (other.state === 'gone') {
			await fs.rm(other.file, {force: true});
			onWarning(`Removed a stale lock left by ${describeHolder(other)}: that process is no longer running.`);
			continue;
		}

		if (!conflicts(kind, other.kind)) {
			continue;
		}

		await release();
		throw new SedaiError('locked', `The repository at ${layout.root} is in use by ${describeHolder(other)}: wait for it to finish${other.state === 'unknown' ? `, or if that machine no longer uses it, run \`sedai unlock --repo ${layout.root} --force\`` : ''}.`, {holder: other}, message(other.state === 'unknown' ? 'error.locked-unknown' : 'error.locked', {path: layout.root, holder: describeHolder(other)}));
	}

	return {file, release};
}

/** `sedai unlock`: remove locks whose owners are gone; refuse live ones, naming the holder. */
export async function removeStaleLocks(layout: Layout, options: {force?: boolean}): Promise<{removed: LockInfo[]; kept: LockInfo[]}> {
	const removed: LockInfo[] = [];
	const kept: LockInfo[] = [];
	for (const lock of await listLocks(layout)) {
		if (lock.state === 'gone' || (lock.state === 'unknown' && options.force)) {
			await fs.rm(lock.file, {force: true});
			removed.push(lock);
		} else {
			kept.push(lock);
		}
	}

	return {removed, kept};
}
