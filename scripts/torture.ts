/**
 * `npm run torture`: random sweeps the test suite is too short for. Kill -9 during backup, prune
 * and restore at random moments, each followed by verify (a kill must never damage anything) and
 * a restore of earlier generations; then random bit flips anywhere in the repository's data,
 * index, generations and records, each followed by verify --full (it must see the flip), repair
 * (it must end in one sentence, exit 0 or 3) and a restore of every generation neither called
 * damaged (byte for byte). Run with ROUNDS=N (default 12 kills and 12 flips) and SEED=S.
 */
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const rounds = Number(process.env['ROUNDS'] ?? 12);
let seed = Number(process.env['SEED'] ?? Date.now() % 1_000_000);
const firstSeed = seed;

/** Mulberry32: a reproducible sweep from SEED. */
function random(): number {
	seed = (seed + 0x6D_2B_79_F5) | 0;
	let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
	value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
	return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
}

const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];

type Run = {code: number; stdout: string; stderr: string};
type Snapshot = Map<string, string>;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sedai-torture-'));
const source = path.join(work, 'clinic');
const home = path.join(work, 'home');
const repo = path.join(work, 'repo');
const environment = {...process.env, SEDAI_HOME: home, SEDAI_PASSPHRASE: 'correct horse battery', NO_COLOR: '1'};
/** What each sealed generation holds, by id: relative path → SHA-256. */
const expected = new Map<string, Snapshot>();
const failures: string[] = [];

function sedai(args: string[]): Run {
	const result = spawnSync('node', [cli, ...args], {env: environment, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr};
}

async function sedaiKilled(args: string[], afterMs: number): Promise<void> {
	const child = spawn('node', [cli, ...args], {env: environment, stdio: 'ignore'});
	const timer = setTimeout(() => {
		child.kill('SIGKILL');
	}, afterMs);
	await new Promise(resolve => {
		child.on('exit', resolve);
	});
	clearTimeout(timer);
}

function jsonLines(stdout: string): Array<Record<string, unknown>> {
	return stdout.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>);
}

function check(ok: boolean, what: string): void {
	if (!ok) {
		failures.push(what);
		console.log(`  FAIL ${what}`);
	}
}

function snapshot(root: string, prefix = 'clinic'): Snapshot {
	const map: Snapshot = new Map();
	for (const name of fs.readdirSync(root).sort()) {
		const full = path.join(root, name);
		const relative = `${prefix}/${name}`;
		if (fs.statSync(full).isDirectory()) {
			for (const [key, value] of snapshot(full, relative)) {
				map.set(key, value);
			}
		} else {
			map.set(relative, createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
		}
	}

	return map;
}

function writeBytes(file: string, size: number): void {
	const data = Buffer.alloc(size);
	for (let at = 0; at < size; at += 4) {
		data.writeUInt32LE(Math.floor(random() * 0xFF_FF_FF_FF), Math.min(at, size - 4));
	}

	fs.mkdirSync(path.dirname(file), {recursive: true});
	fs.writeFileSync(file, data);
}

/** A day's changes: a few new documents, one changed, and the "database dump" rewritten in part. */
function mutate(day: number): void {
	for (let i = 0; i < 20; i++) {
		writeBytes(path.join(source, 'documents', `d${day}-${i}.txt`), 500 + Math.floor(random() * 20_000));
	}

	const dump = path.join(source, 'dump.sql');
	if (!fs.existsSync(dump)) {
		writeBytes(dump, 6 * 1024 * 1024);
	}

	const handle = fs.openSync(dump, 'r+');
	const patch = Buffer.alloc(64 * 1024, day);
	fs.writeSync(handle, patch, 0, patch.length, Math.floor(random() * ((6 * 1024 * 1024) - patch.length)));
	fs.closeSync(handle);
}

function generationIds(): string[] {
	return jsonLines(sedai(['generations', '--repo', repo, '--json']).stdout).filter(line => line['type'] === 'generation').map(line => String(line['id']));
}

/** Restore one generation and compare it with what was backed up. */
function restoresExactly(id: string, label: string): void {
	const into = path.join(work, 'out');
	spawnSync('rm', ['-rf', into]);
	const restore = sedai(['restore', id.slice(0, 12), '--repo', repo, '--into', into, '--json']);
	check(restore.code === 0, `${label}: restore of ${id.slice(0, 8)} exits 0 (got ${restore.code}: ${restore.stderr.trim().split('\n').at(-1) ?? ''})`);
	const want = expected.get(id);
	if (restore.code === 0 && want) {
		const got = snapshot(path.join(into, 'clinic'));
		const same = got.size === want.size && [...want].every(([key, value]) => got.get(key) === value);
		check(same, `${label}: generation ${id.slice(0, 8)} restores byte for byte`);
	}
}

function noStackTrace(run: Run, label: string): void {
	check(!/\n\s+at .+:\d+:\d+/.test(run.stderr), `${label}: no stack trace (${run.stderr.slice(0, 200)})`);
}

async function killRound(round: number): Promise<void> {
	const operation = pick(['backup', 'backup', 'prune', 'restore']);
	const delay = 50 + Math.floor(random() * 1500);
	const before = new Set(generationIds());
	let state: Snapshot | undefined;
	if (operation === 'backup') {
		mutate(100 + round);
		state = snapshot(source);
		await sedaiKilled(['backup', source, '--repo', repo], delay);
	} else if (operation === 'prune') {
		await sedaiKilled(['prune', '--repo', repo, '--keep-last', '4'], delay);
	} else {
		spawnSync('rm', ['-rf', path.join(work, 'killed-restore')]);
		await sedaiKilled(['restore', 'latest', '--repo', repo, '--into', path.join(work, 'killed-restore')], delay);
	}

	const label = `kill ${round} (${operation} after ${delay} ms)`;
	for (const id of generationIds()) {
		if (!before.has(id) && state) {
			expected.set(id, state);
		}
	}

	const verify = sedai(['verify', '--repo', repo, '--json']);
	check(verify.code === 0, `${label}: verify is clean after the kill (got ${verify.code}: ${verify.stdout.split('\n').filter(line => line.includes('"problem"')).join(' ')})`);
	const ids = generationIds();
	check(ids.length > 0, `${label}: generations remain`);
	restoresExactly(ids[0], label);
	restoresExactly(pick(ids), label);
	console.log(`${label}: ${failures.length === 0 ? 'ok' : `${failures.length} failure(s) so far`}`);
}

/** Flip one byte of a random file that matters, in a throw-away copy of the repository. */
function flipRound(round: number, pristine: string): void {
	spawnSync('chattr', ['-R', '-i', repo], {stdio: 'ignore'});
	fs.rmSync(repo, {recursive: true, force: true});
	fs.cpSync(pristine, repo, {recursive: true});
	spawnSync('chmod', ['-R', 'u+w', repo]);
	const candidates = [
		...listFiles(path.join(repo, 'data')),
		...listFiles(path.join(repo, 'index')),
		...listFiles(path.join(repo, 'generations')),
		...listFiles(path.join(repo, 'pruned')),
		path.join(repo, 'chain-head.json'),
	];
	const file = pick(candidates);
	const {size} = fs.statSync(file);
	const at = Math.floor(random() * size);
	const handle = fs.openSync(file, 'r+');
	const byte = Buffer.alloc(1);
	fs.readSync(handle, byte, 0, 1, at);
	byte[0] ^= 1 << Math.floor(random() * 8);
	fs.writeSync(handle, byte, 0, 1, at);
	fs.closeSync(handle);
	const label = `flip ${round} (${path.relative(repo, file)} byte ${at} of ${size})`;

	const full = sedai(['verify', '--repo', repo, '--full', '--json']);
	noStackTrace(full, label);
	check(full.code === 3, `${label}: verify --full sees it (got ${full.code})`);
	const repair = sedai(['repair', '--repo', repo, '--json']);
	noStackTrace(repair, label);
	check(repair.code === 0 || repair.code === 3, `${label}: repair exits 0 or 3 (got ${repair.code}: ${repair.stderr.trim()})`);
	const after = sedai(['verify', '--repo', repo, '--full', '--json']);
	noStackTrace(after, label);
	const damaged = new Set([...jsonLines(after.stdout), ...jsonLines(repair.stdout)].filter(line => line['type'] === 'damaged' || line['type'] === 'lost' || (line['type'] === 'problem' && line['generation'])).map(line => String(line['id'] ?? line['generation'])));
	for (const id of generationIds()) {
		if (!damaged.has(id)) {
			restoresExactly(id, label);
		}
	}

	console.log(`${label}: verify ${full.code}, repair ${repair.code}, ${damaged.size} generation(s) called damaged`);
}

function listFiles(directory: string): string[] {
	if (!fs.existsSync(directory)) {
		return [];
	}

	return fs.readdirSync(directory, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(directory, entry.name);
		return entry.isDirectory() ? listFiles(full) : [full];
	});
}

async function main(): Promise<void> {
	console.log(`torture: SEED=${firstSeed} ROUNDS=${rounds} in ${work}`);
	fs.mkdirSync(source, {recursive: true});
	check(sedai(['init', repo]).code === 0, 'init');
	for (let day = 1; day <= 3; day++) {
		mutate(day);
		const backup = sedai(['backup', source, '--repo', repo, '--json']);
		check(backup.code === 0, `backup ${day}`);
		expected.set(String(jsonLines(backup.stdout).findLast(line => line['type'] === 'summary')?.['generation']), snapshot(source));
	}

	for (let round = 1; round <= rounds; round++) {
		await killRound(round);
	}

	const pristine = path.join(work, 'pristine');
	spawnSync('chattr', ['-R', '-i', repo], {stdio: 'ignore'});
	fs.cpSync(repo, pristine, {recursive: true});
	for (let round = 1; round <= rounds; round++) {
		flipRound(round, pristine);
	}

	spawnSync('chattr', ['-R', '-i', work], {stdio: 'ignore'});
	if (failures.length > 0) {
		console.log(`torture: ${failures.length} failure(s) (SEED=${firstSeed}); work folder kept: ${work}`);
		process.exitCode = 1;
		return;
	}

	fs.rmSync(work, {recursive: true, force: true});
	console.log(`torture: all ${rounds} kill rounds and ${rounds} flip rounds held (SEED=${firstSeed}).`);
}

await main();
