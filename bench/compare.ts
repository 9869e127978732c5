// Runs each benchmark step for Sedai, restic and (where installed) borg on the same data, one
// after the other, and prints wall seconds, peak RSS, bytes each step added to its repository and
// the Sedai/best-peer ratio. Invoked by bench/run.sh. BENCH_SMALL_FILES=N adds a first and a
// no-change backup of N generated small files (1–4 KB).
import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';

const [dataset = ''] = process.argv.slice(2);
const work = process.env['BENCH_DIR'] ?? '/tmp/sedai-bench';
const data = path.join(work, 'data');
const cli = path.resolve('dist/cli.js');
const environment = {
	...process.env,
	SEDAI_PASSPHRASE: 'bench-passphrase',
	RESTIC_PASSWORD: 'bench-passphrase',
	BORG_PASSPHRASE: 'bench-passphrase',
	BORG_BASE_DIR: path.join(work, 'borg-home'),
	BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
	BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
	SEDAI_HOME: path.join(work, 'sedai-home'),
	RESTIC_CACHE_DIR: path.join(work, 'restic-cache'),
	NO_COLOR: '1',
};

type Measure = {seconds: number; rssMb: number; addedBytes: number};
type Tool = 'sedai' | 'restic' | 'borg';
type Commands = Partial<Record<Tool, {args: string[]; repo: string; cwd?: string}>>;

const hasBorg = (await execa('borg', ['--version'], {reject: false}).catch(() => ({exitCode: 1}))).exitCode === 0;
const tools: Tool[] = hasBorg ? ['sedai', 'restic', 'borg'] : ['sedai', 'restic'];
const executable: Record<Tool, string> = {sedai: 'node', restic: 'restic', borg: 'borg'};

async function sizeOf(folder: string): Promise<number> {
	return Number((await execa('du', ['-sb', folder])).stdout.split('\t')[0]);
}

async function timed(tool: Tool, args: string[], repo: string, cwd?: string): Promise<Measure> {
	if (process.env['BENCH_DROP_CACHES'] === '1') {
		await execa('sync');
		fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
	}

	const before = await sizeOf(repo);
	const command = tool === 'sedai' ? [cli, ...args] : args;
	const result = await execa('/usr/bin/time', ['-f', '%e %M', executable[tool], ...command], {env: environment, reject: false, stdin: 'ignore', ...(cwd ? {cwd} : {})});
	const last = result.stderr.trim().split('\n').at(-1) ?? '';
	const [seconds, kilobytes] = last.split(' ').map(Number);
	if (result.exitCode !== 0 || seconds === undefined || kilobytes === undefined) {
		throw new Error(`${tool} ${args.join(' ')} failed (${result.exitCode}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
	}

	return {seconds, rssMb: kilobytes / 1024, addedBytes: await sizeOf(repo) - before};
}

async function warm(folder: string): Promise<void> {
	// Every tool reads from the same warm page cache.
	await execa('bash', ['-c', `find ${JSON.stringify(folder)} -type f -print0 | xargs -0 cat > /dev/null`]);
}

async function warmMetadata(folder: string): Promise<void> {
	// A no-change backup reads only metadata: warm the directory and inode caches for all alike.
	await execa('find', [folder, '-printf', '']);
}

const steps: Array<{name: string; measures: Partial<Record<Tool, Measure>>}> = [];

async function step(name: string, commands: Commands, before?: () => Promise<void>): Promise<void> {
	const measures: Partial<Record<Tool, Measure>> = {};
	for (const tool of tools) {
		const command = commands[tool];
		if (!command) {
			continue;
		}

		await before?.();
		measures[tool] = await timed(tool, command.args, command.repo, command.cwd);
	}

	steps.push({name, measures});
	process.stderr.write(`${name}: ${tools.map(tool => `${tool} ${measures[tool]?.seconds.toFixed(2) ?? '-'} s`).join(', ')}\n`);
}

async function digest(directory: string): Promise<string> {
	const result = await execa(dataset, ['digest', directory], {env: environment});
	return result.stdout.trim();
}

type Repos = Record<Tool, string>;

function reposIn(prefix: string): Repos {
	return {sedai: path.join(work, `${prefix}sedai-repo`), restic: path.join(work, `${prefix}restic-repo`), borg: path.join(work, `${prefix}borg-repo`)};
}

async function clean(folders: string[]): Promise<void> {
	for (const folder of folders) {
		// Sedai marks sealed files immutable where it can (root on ext4): lift that first.
		if (fs.existsSync(folder)) {
			await execa('chattr', ['-R', '-i', folder], {reject: false});
		}

		fs.rmSync(folder, {recursive: true, force: true});
	}
}

async function init(repos: Repos): Promise<void> {
	await execa('node', [cli, 'init', repos.sedai, '--label', 'BENCH'], {env: environment});
	await execa('restic', ['init', '-r', repos.restic], {env: environment});
	if (hasBorg) {
		await execa('borg', ['init', '--encryption=repokey-blake2', repos.borg], {env: environment});
	}
}

let archive = 0;
function backupCommands(repos: Repos, source: string): Commands {
	archive++;
	return {
		sedai: {args: ['backup', source, '--repo', repos.sedai, '--json'], repo: repos.sedai},
		restic: {args: ['-r', repos.restic, 'backup', '-q', source], repo: repos.restic},
		// Borg's default lz4 would not match restic's zstd; both use zstd level 3.
		borg: {args: ['create', '--compression', 'zstd,3', `${repos.borg}::a${archive}`, source], repo: repos.borg},
	};
}

const main = reposIn('');
const sedaiOut = path.join(work, 'restore-sedai');
const resticOut = path.join(work, 'restore-restic');
const borgOut = path.join(work, 'restore-borg');
await clean([...Object.values(main), sedaiOut, resticOut, borgOut, environment.SEDAI_HOME, environment.RESTIC_CACHE_DIR, environment.BORG_BASE_DIR]);

// A fresh dataset state for every run (mutate below moves it on).
if ((JSON.parse(fs.readFileSync(`${data}.meta.json`, 'utf8')) as {generation: number}).generation !== 0) {
	await execa(dataset, ['gen'], {env: environment});
}

await init(main);
const version = [(await execa('restic', ['version'], {env: environment})).stdout.trim(), hasBorg ? (await execa('borg', ['--version'])).stdout.trim() : 'borg not installed'].join(', ');

await step('first backup', backupCommands(main, data), async () => warm(data));
await execa(dataset, ['mutate'], {env: environment});
await step('incremental backup (after mutate)', backupCommands(main, data), async () => warm(data));
await step('no-change backup', backupCommands(main, data), async () => warmMetadata(data));
await step('full verify (vs check --read-data, borg check --verify-data)', {
	sedai: {args: ['verify', '--repo', main.sedai, '--full', '--json'], repo: main.sedai},
	restic: {args: ['-r', main.restic, 'check', '--read-data', '-q'], repo: main.restic},
	borg: {args: ['check', '--verify-data', main.borg], repo: main.borg},
});
fs.mkdirSync(borgOut, {recursive: true});
await step('restore (Sedai also re-reads and verifies)', {
	sedai: {args: ['restore', 'latest', '--repo', main.sedai, '--into', sedaiOut, '--json'], repo: main.sedai},
	restic: {args: ['-r', main.restic, 'restore', 'latest', '--target', resticOut, '-q'], repo: main.restic},
	// Borg extracts into the current folder.
	borg: {args: ['extract', `${main.borg}::a${archive}`], repo: main.borg, cwd: borgOut},
});

const expected = await digest(data);
const sedaiDigest = await digest(path.join(sedaiOut, 'data'));
const resticDigest = await digest(path.join(resticOut, data.replace(/^\//, '')));
const borgDigest = hasBorg ? await digest(path.join(borgOut, data.replace(/^\//, ''))) : undefined;
const repoSizes = `repository size: ${(await Promise.all(tools.map(async tool => `${tool} ${(await sizeOf(main[tool]) / 1e6).toFixed(1)} MB`))).join(', ')}`;

const smallFiles = Number(process.env['BENCH_SMALL_FILES'] ?? 0);
if (smallFiles > 0) {
	const small = path.join(work, 'small');
	const repos = reposIn('small-');
	await clean([small, ...Object.values(repos)]);
	makeSmallFiles(small, smallFiles);
	await init(repos);
	await step(`${smallFiles.toLocaleString('en')} small files: first backup`, backupCommands(repos, small), async () => warm(small));
	await step(`${smallFiles.toLocaleString('en')} small files: no-change backup`, backupCommands(repos, small), async () => warmMetadata(small));
}

/** N files of 1–4 KB of text-like bytes, 100 per folder, from a fixed seed. */
function makeSmallFiles(root: string, count: number): void {
	let state = 12_345;
	const next = () => {
		state = ((state * 1_103_515_245) + 12_345) % 2_147_483_648;
		return state;
	};

	const words = ['patient', 'visit', 'note', 'dose', 'mg', 'ward', 'lab', 'result', '患者', '処方', 'normal', 'follow-up'];
	for (let i = 0; i < count; i++) {
		const folder = path.join(root, `d${Math.floor(i / 10_000)}`, `s${Math.floor(i / 100) % 100}`);
		if (i % 100 === 0) {
			fs.mkdirSync(folder, {recursive: true});
		}

		const size = 1024 + (next() % 3072);
		let text = `record ${i} `;
		while (text.length < size) {
			text += `${words[next() % words.length]} ${next() % 1000} `;
		}

		fs.writeFileSync(path.join(folder, `f${i}.txt`), text.slice(0, size));
	}
}

const ratioOf = (measures: Partial<Record<Tool, Measure>>) => {
	const peers = (['restic', 'borg'] as const).map(tool => measures[tool]?.seconds).filter((seconds): seconds is number => seconds !== undefined);
	return measures.sedai!.seconds / Math.min(...peers);
};

const cell = (measure: Measure | undefined, show: (measure: Measure) => string) => measure ? show(measure) : '-';
const kb = (bytes: number) => bytes < 10_000 ? `${bytes} B` : `${(bytes / 1e6).toFixed(1)} MB`;
const lines = [
	`| step | ${tools.map(tool => `${tool} s`).join(' | ')} | Sedai / best peer | ${tools.map(tool => `${tool} RSS MB`).join(' | ')} | ${tools.map(tool => `${tool} added`).join(' | ')} |`,
	`| --- | ${tools.map(() => '---:').join(' | ')} | ---: | ${tools.map(() => '---:').join(' | ')} | ${tools.map(() => '---:').join(' | ')} |`,
	...steps.map(({name, measures}) => `| ${name} | ${tools.map(tool => cell(measures[tool], m => m.seconds.toFixed(2))).join(' | ')} | ${ratioOf(measures).toFixed(2)} | ${tools.map(tool => cell(measures[tool], m => m.rssMb.toFixed(0))).join(' | ')} | ${tools.map(tool => cell(measures[tool], m => kb(m.addedBytes))).join(' | ')} |`),
];
const correctness = `restored trees match the source: Sedai ${sedaiDigest === expected ? 'yes' : 'NO'}, restic ${resticDigest === expected ? 'yes' : 'NO'}${borgDigest === undefined ? '' : `, borg ${borgDigest === expected ? 'yes' : 'NO'}`}`;
const context = `dataset SCALE=${process.env['SCALE'] ?? '1'} (${data}), ${version}, node ${process.version}, ${(await execa('nproc')).stdout.trim()} cores`;
console.log([context, '', ...lines, '', repoSizes, correctness].join('\n'));
fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify({context, steps, repoSizes, correctness}, undefined, 2));
const worst = Math.max(...steps.map(({measures}) => ratioOf(measures)));
const peak = Math.max(...steps.map(({measures}) => measures.sedai!.rssMb));
console.log(`\nworst ratio ${worst.toFixed(2)} (target <= 0.7); Sedai peak RSS ${peak.toFixed(0)} MB (target <= 150 at SCALE=1)`);
if (sedaiDigest !== expected) {
	process.exitCode = 1;
}
