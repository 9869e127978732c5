import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A small, deterministic clinic tree for the demo and for tests: an EHR database dump, patient
 * documents (some with Japanese names, a few stored NFD as a Mac would), lab CSVs and scans. The
 * same seed gives the same bytes, names and mtimes on every machine.
 */
export type SampleOptions = {
	patients?: number;
	documentsPerPatient?: number;
	scans?: number;
	dumpBytes?: number;
	seed?: number;
	/** Base mtime (ms since epoch). */
	epoch?: number;
};

const words = ['patient', 'presents', 'with', 'mild', 'fever', 'cough', 'hypertension', 'follow-up', 'prescribed', 'daily', 'blood', 'pressure', 'normal', 'allergy', 'none', 'referral', 'imaging', 'result', 'plan', 'continue', 'monitor'];
const japanese = ['患者', '主訴', '発熱', '咳嗽', '高血圧', '経過観察', '再診', '処方', '血圧', '正常', '紹介', '検査', '結果', '方針', '継続'];
const documentKinds = ['診療記録', '紹介状', '検査結果', '同意書', 'notes', 'referral', 'consent'];

/** Xorshift32: small, fast, and identical everywhere. */
export function random(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state / 0x1_00_00_00_00;
	};
}

function pick<T>(next: () => number, items: readonly T[]): T {
	return items[Math.floor(next() * items.length)];
}

function text(next: () => number, bytes: number): string {
	let out = '';
	while (Buffer.byteLength(out) < bytes) {
		out += next() < 0.5
			? Array.from({length: 8}, () => pick(next, words)).join(' ') + '.\n'
			: Array.from({length: 5}, () => pick(next, japanese)).join('、') + '。\n';
	}

	return out;
}

async function write(root: string, relative: string, data: string | Uint8Array, mtimeMs: number): Promise<void> {
	const file = path.join(root, relative);
	await fs.mkdir(path.dirname(file), {recursive: true});
	await fs.writeFile(file, data);
	const seconds = mtimeMs / 1000;
	await fs.utimes(file, seconds, seconds);
}

export async function createSampleClinic(root: string, options: SampleOptions = {}): Promise<{files: number; bytes: number}> {
	const next = random(options.seed ?? 20_240_401);
	const patients = options.patients ?? 40;
	const perPatient = options.documentsPerPatient ?? 5;
	const epoch = options.epoch ?? Date.UTC(2026, 0, 5);
	let files = 0;
	let bytes = 0;
	const add = async (relative: string, data: string | Uint8Array, mtime: number) => {
		await write(root, relative, data, mtime);
		files++;
		bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
	};

	// The database dump: text rows and binary large objects, like pg_dump output.
	const dumpBytes = options.dumpBytes ?? 4 * 1024 * 1024;
	const dump = Buffer.alloc(dumpBytes);
	let at = 0;
	let row = 1;
	while (at < dumpBytes) {
		if (next() < 0.6) {
			const line = Buffer.from(`INSERT INTO encounters VALUES (${row++}, '2026-01-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}', '${pick(next, japanese)}', '${pick(next, words)} ${pick(next, words)}');\n`);
			at += line.copy(dump, at);
		} else {
			const end = Math.min(dumpBytes, at + 2048 + Math.floor(next() * 8192));
			for (; at < end; at++) {
				dump[at] = Math.floor(next() * 256);
			}
		}
	}

	await add('db/ehr_dump.sql', dump, epoch);

	for (let patient = 1; patient <= patients; patient++) {
		const folder = `docs/p${String(patient).padStart(6, '0')}`;
		for (let document = 1; document <= perPatient; document++) {
			const kind = pick(next, documentKinds);
			let name = `${kind}_${String((patient * 100) + document).padStart(7, '0')}.txt`;
			if (document === 3 && patient % 4 === 0) {
				name = name.normalize('NFD');
			}

			await add(`${folder}/${name}`, `患者ID: ${patient}\n${text(next, 600 + Math.floor(next() * 6000))}`, epoch - Math.floor(next() * 300 * 86_400_000));
		}

		await add(`${folder}/labs.csv`, `date,test,value\n${Array.from({length: 20}, () => `2026-01-${String(1 + Math.floor(next() * 28)).padStart(2, '0')},glucose,${(70 + (next() * 100)).toFixed(1)}`).join('\n')}\n`, epoch - Math.floor(next() * 30 * 86_400_000));
	}

	const scans = options.scans ?? 30;
	for (let scan = 1; scan <= scans; scan++) {
		const size = 20_000 + Math.floor(next() * 60_000);
		const data = Buffer.alloc(size);
		data.set([0xFF, 0xD8, 0xFF, 0xE0]);
		for (let i = 4; i < size; i++) {
			data[i] = Math.floor(next() * 256);
		}

		await add(`scans/2025/scan_${String(scan).padStart(5, '0')}.jpg`, data, epoch - Math.floor(next() * 365 * 86_400_000));
	}

	return {files, bytes};
}

/** One ordinary clinic day: some documents appended, a few new, one deleted, the dump edited in place. */
export async function simulateDay(root: string, day: number, options: {seed?: number; epoch?: number} = {}): Promise<void> {
	const next = random(((options.seed ?? 7) * 1000) + day);
	const when = (options.epoch ?? Date.UTC(2026, 0, 5)) + (day * 86_400_000);
	const docs = path.join(root, 'docs');
	const patients = (await fs.readdir(docs)).sort();
	for (let i = 0; i < 3; i++) {
		const patient = pick(next, patients);
		const names = (await fs.readdir(path.join(docs, patient))).sort();
		const file = path.join(docs, patient, pick(next, names));
		await fs.appendFile(file, `\n--- 追記 day ${day} ---\n${text(next, 300)}`);
		await fs.utimes(file, when / 1000, when / 1000);
	}

	const patient = pick(next, patients);
	await write(root, `docs/${patient}/notes_day${day}.txt`, text(next, 1500), when);
	const dump = path.join(root, 'db/ehr_dump.sql');
	const handle = await fs.open(dump, 'r+');
	const {size} = await handle.stat();
	for (let i = 0; i < 4; i++) {
		const patch = Buffer.from(text(next, 2000));
		await handle.write(patch, 0, patch.length, Math.floor(next() * (size - patch.length)));
	}

	await handle.close();
	await fs.utimes(dump, when / 1000, when / 1000);
}
