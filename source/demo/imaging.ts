import {createCipheriv, createHash} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {random} from './sample-clinic.js';

/**
 * Bulk for `sedai demo --size`: imaging studies (JPEG exports of incompressible bytes, like the
 * clinic's scans, so the ransomware sentinel sees an ordinary day of new scans), so a
 * backup, a full verify and a restore of the demo clinic each take seconds and show live
 * progress. Fast and deterministic: AES-256-CTR over zeros, keyed by the seed and the file's
 * number, writes as fast as the disk takes it, and the same seed gives the same bytes anywhere.
 */
const megabyte = 1024 * 1024;
const block = Buffer.alloc(megabyte);

/** "500MB", "2GB", "1.5G", "64MiB" (units of 1024: a "2GB" demo holds at least 2 GB either way). */
export function parseSize(text: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/iu.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const power = ['', 'k', 'm', 'g', 't'].indexOf(match[2].toLowerCase());
	const bytes = Math.ceil(Number(match[1]) * (1024 ** power));
	return bytes > 0 ? bytes : undefined;
}

function keystream(seed: number, index: number) {
	const key = createHash('sha256').update(`sedai-demo-imaging:${seed}`).digest();
	const iv = Buffer.alloc(16);
	iv.writeUInt32BE(index, 0);
	return createCipheriv('aes-256-ctr', key, iv);
}

async function writeStudy(file: string, bytes: number, seed: number, index: number, mtimeMs: number): Promise<void> {
	const stream = keystream(seed, index);
	const handle = await fs.open(file, 'w');
	try {
		// A JPEG's start-of-image and APP0 markers, as the sample clinic's scans have.
		const head = Buffer.from([0xFF, 0xD8, 0xFF, 0xE0]);
		await handle.write(head);
		for (let left = bytes - head.length; left > 0; left -= megabyte) {
			const chunk = stream.update(left >= megabyte ? block : block.subarray(0, left));
			await handle.write(chunk);
		}
	} finally {
		await handle.close();
	}

	await fs.utimes(file, mtimeMs / 1000, mtimeMs / 1000);
}

/** Add studies under imaging/ until `bytes` more are there; returns what was written. */
export async function addImaging(root: string, bytes: number, options: {seed?: number; epoch: number; onFile?: (done: number, total: number) => void}): Promise<{files: number; bytes: number}> {
	const seed = options.seed ?? 20_240_401;
	const next = random(seed + 1);
	let written = 0;
	let files = 0;
	while (written < bytes) {
		// 4–16 MiB, like CT and MR series exported one file per study.
		const size = Math.min(bytes - written, (4 + Math.floor(next() * 12)) * megabyte);
		const day = Math.floor(next() * 365);
		const file = path.join(root, 'imaging', `${2025 + Math.floor(day / 200)}`, `study_${String(files + 1).padStart(5, '0')}.jpg`);
		await fs.mkdir(path.dirname(file), {recursive: true});
		await writeStudy(file, Math.max(size, 4), seed, files, options.epoch - (day * 86_400_000));
		written += Math.max(size, 4);
		files++;
		options.onFile?.(written, bytes);
	}

	return {files, bytes: written};
}
