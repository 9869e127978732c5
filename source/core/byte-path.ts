/**
 * File names are bytes on Linux, not text: a Japanese name may be NFC or NFD, and a name may not
 * be valid UTF-8 at all. Inside the engine a path is a "byte string": a JS string whose every
 * char code is one byte (latin1). It is lossless, usable as a Map key, and sorts in byte order.
 * It only turns into text for display.
 */
export type BytePath = string;

/** Plain ASCII is the same string as bytes and as text: no round trip through a buffer. */
const ascii = /^[\u0000-\u007F]*$/;

export function fromBuffer(buffer: Uint8Array): BytePath {
	return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('latin1');
}

export function toBuffer(path: BytePath): Buffer {
	return Buffer.from(path, 'latin1');
}

/** Text of a native (UTF-8 as typed by a user) path as a byte path. */
export function fromText(text: string): BytePath {
	return ascii.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** For display only: invalid UTF-8 shows as U+FFFD. */
export function toText(path: BytePath): string {
	return ascii.test(path) ? path : toBuffer(path).toString('utf8');
}

/** True when the bytes are valid UTF-8 (so they can travel as a JSON string losslessly). */
export function isUtf8(path: BytePath): boolean {
	const buffer = toBuffer(path);
	return Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);
}

/** JSON field encoding: plain text when lossless, base64 otherwise. */
export type EncodedName = string | {b64: string};

export function encodeName(path: BytePath): EncodedName {
	if (ascii.test(path)) {
		return path;
	}

	return isUtf8(path) ? toText(path) : {b64: toBuffer(path).toString('base64')};
}

export function decodeName(value: EncodedName): BytePath {
	if (typeof value === 'string') {
		return fromText(value);
	}

	return fromBuffer(Buffer.from(value.b64, 'base64'));
}

export function join(...parts: BytePath[]): BytePath {
	return parts.filter(part => part.length > 0).join('/');
}

export function basename(path: BytePath): BytePath {
	const index = path.lastIndexOf('/');
	return index === -1 ? path : path.slice(index + 1);
}

export function dirname(path: BytePath): BytePath {
	const index = path.lastIndexOf('/');
	return index === -1 ? '' : path.slice(0, index);
}

/** How many folders down a path is: the number of its slashes. */
export function pathDepth(path: BytePath): number {
	let count = 0;
	for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
		count++;
	}

	return count;
}

/** Whether `path` is `prefix` itself or lies below it. */
export function isWithin(path: BytePath, prefix: BytePath): boolean {
	if (prefix === '' || path === prefix) {
		return true;
	}

	return path.startsWith(prefix) && path.charAt(prefix.length) === '/';
}

/**
 * A manifest path is safe to restore when it is relative and has no empty, "." or ".."
 * component and no NUL byte. Anything else could land outside the restore target.
 */
export function isSafeRelative(path: BytePath): boolean {
	if (path.length === 0 || path.startsWith('/') || path.includes('\0')) {
		return false;
	}

	for (const part of path.split('/')) {
		if (part === '' || part === '.' || part === '..') {
			return false;
		}
	}

	return true;
}

export function compareBytes(a: BytePath, b: BytePath): number {
	return a < b ? -1 : (a > b ? 1 : 0);
}
