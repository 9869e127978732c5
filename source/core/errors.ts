import {message, type Message} from './message.js';

/**
 * Every failure a technician can meet is a SedaiError: a stable code for scripts, one sentence
 * naming the thing, and what to do about it. Anything else reaching the CLI is a bug. The
 * sentence is English; `ref` is the same sentence as a message code, for front ends that speak
 * another language (the common errors carry one).
 */
export type ErrorCode
	= | 'usage'
		| 'not-a-repository'
		| 'repository-exists'
		| 'unsupported-format'
		| 'wrong-passphrase'
		| 'passphrase-required'
		| 'locked'
		| 'stale-lock'
		| 'no-space'
		| 'read-only'
		| 'corrupt'
		| 'not-found'
		| 'target-not-empty'
		| 'unsafe-path'
		| 'source-unreadable'
		| 'tool-missing'
		| 'cancelled'
		| 'busy'
		| 'bad-config'
		| 'policy'
		| 'dump-failed'
		| 'hook-failed'
		| 'io'
		| 'internal';

/** Exit codes of the headless CLI. */
export const exitCodes = {
	ok: 0,
	failure: 1,
	usage: 2,
	damage: 3,
} as const;

export class SedaiError extends Error {
	override readonly name = 'SedaiError';

	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly details: Record<string, unknown> = {},
		readonly ref?: Message,
	) {
		super(message);
	}

	get exitCode(): number {
		return this.code === 'usage' ? exitCodes.usage : exitCodes.failure;
	}
}

export function isSedaiError(error: unknown): error is SedaiError {
	return error instanceof SedaiError;
}

type NodeError = Error & {code?: string; path?: string; syscall?: string};

export function isNodeError(error: unknown): error is NodeError {
	return error instanceof Error && typeof (error as NodeError).code === 'string';
}

/**
 * Translate an OS error met while working on `what` (e.g. "the repository at /mnt/rdx/sedai")
 * into one actionable sentence. Unknown errors pass through untouched.
 */
export function describeIoError(error: unknown, what: string): unknown {
	if (!isNodeError(error)) {
		return error;
	}

	const where = error.path ? ` (${error.path})` : '';
	const ref = (code: string) => message(code, {place: placeOf(what), where: error.path ? message('error.where', {path: error.path}) : ''});
	switch (error.code) {
		case 'ENOSPC':
		case 'EDQUOT': {
			return new SedaiError('no-space', `No space left on ${what}${where}: free space (prune old generations) or use a larger medium.`, {path: error.path}, ref('error.no-space'));
		}

		case 'EROFS': {
			return new SedaiError('read-only', `${capitalize(what)} is read-only${where} (write-protect switch or read-only mount): nothing was written; turn off write protection to write, or use it for verify/restore only.`, {path: error.path}, ref('error.read-only'));
		}

		case 'EACCES':
		case 'EPERM': {
			return new SedaiError('io', `Permission denied on ${what}${where}: run as a user who may write there, or check that the files are not write-protected.`, {path: error.path}, ref('error.permission'));
		}

		case 'EIO': {
			return new SedaiError('io', `Input/output error on ${what}${where}: the medium may be failing or was pulled out; check the drive's health (sedai drives) and reconnect it.`, {path: error.path}, ref('error.io'));
		}

		case 'ENOENT': {
			return new SedaiError('not-found', `${capitalize(what)} is missing a file${where}: was the medium removed? Reconnect it and try again.`, {path: error.path}, ref('error.missing-file'));
		}

		default: {
			return error;
		}
	}
}

/**
 * The place an I/O error happened, from the English phrase callers pass (the forms the engine
 * uses), so a front end can name it in its own language; anything else is quoted as given.
 */
export function placeOf(what: string): Message {
	const named = /^the repository "(.*)" at (.+)$/.exec(what);
	if (named) {
		return message('place.namedRepository', {label: named[1], path: named[2]});
	}

	for (const [pattern, code] of [[/^the repository at (.+)$/, 'place.repository'], [/^the folder (.+)$/, 'place.folder'], [/^the restore into (.+)$/, 'place.restore']] as const) {
		const match = pattern.exec(what);
		if (match) {
			return message(code, {path: match[1]});
		}
	}

	return message('place.other', {what});
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
