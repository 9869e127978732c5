import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type {LiveStatus} from '../../../report/drill-report.js';

/**
 * A sample of restored files compared with the live clinic data: identical, changed since the
 * backup (expected: the clinic kept working), or missing from the live system (a finding: data
 * that only the backup still holds). Reads the live files only; never writes there.
 */
export type LiveSample = {path: string; status: LiveStatus};

async function hashOf(file: string): Promise<string | undefined> {
	try {
		const hash = createHash('sha256');
		for await (const chunk of createReadStream(file)) {
			hash.update(chunk as Buffer);
		}

		return hash.digest('hex');
	} catch {
		return undefined;
	}
}

async function restoredFiles(root: string): Promise<string[]> {
	const entries = await fs.readdir(root, {recursive: true, withFileTypes: true}).catch(() => []);
	return entries.filter(entry => entry.isFile() && !entry.name.endsWith('.sedai-damaged')).map(entry => path.relative(root, path.join(entry.parentPath, entry.name))).sort();
}

/** `sources` maps a root name inside the generation to the live folder it was backed up from. */
export async function compareWithLive(restored: string, sources: Map<string, string>, limit: number): Promise<LiveSample[]> {
	const all = await restoredFiles(restored);
	const step = all.length > limit ? all.length / limit : 1;
	const samples: LiveSample[] = [];
	for (let at = 0; at < all.length && samples.length < limit; at += step) {
		const relative = all[Math.floor(at)];
		const [rootName, ...rest] = relative.split(path.sep);
		const base = sources.get(rootName);
		if (base === undefined) {
			continue;
		}

		const live = rest.length > 0 ? path.join(base, ...rest) : base;
		const liveHash = await hashOf(live);
		if (liveHash === undefined) {
			samples.push({path: relative, status: 'missing'});
			continue;
		}

		samples.push({path: relative, status: liveHash === await hashOf(path.join(restored, relative)) ? 'identical' : 'changed'});
	}

	return samples;
}
