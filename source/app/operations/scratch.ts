import path from 'node:path';

/** Folder for one test restore: <scratch>/<yyyymmdd-hhmmss>-<label>, a fresh one every time. */
export function scratchFolder(scratch: string, label: string, now: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
	const safe = label.replaceAll(/[^\w.-]+/g, '_');
	return path.join(scratch, `${stamp}-${safe}`);
}
