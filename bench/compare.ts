// Runs each benchmark step for Sedai, restic and (where installed) borg on the same data, one
// after the other, and prints wall seconds, peak RSS, bytes each step added to its repository and
// the Sedai/best-peer ratio. Invoked by bench/run.sh. Restores go to a tmpfs and to an ext4 loop
// image (root only; elsewhere to BENCH_DIR's own filesystem). BENCH_SMALL_FILES=N (default
// 200,000; 0 skips) backs up, changes and restores a tree of N small files (1–4 KB) as well.
import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {emptyFolder, mountRestoreTargets} from './restore-targets.js';

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

type Measure = {seconds: number; cpuSeconds: number; rssMb: number; addedBytes: number};
type Tool = 'sedai' | 'restic' | 'borg';
type Commands = Partial<Record<Tool, {args: string[]; repo: string; cwd?: string}>>;

const hasBorg = (await execa('borg', ['--version'], {reject: false}).catch(() => ({exitCode: 1}))).exitCode === 0;
const tools: Tool[] = hasBorg ? ['sedai', 'restic', 'borg'] : ['sedai', 'restic'];
const executable: Record<Tool, string> = {sedai: 'node', restic: 'restic', borg: 'borg'};

async function sizeOf(folder: string): Promise<number> {
	return Number((await execa('du', ['-sb', folder])).stdout.split('\t')[0]);
}

async function timed(tool: Tool, args: string[], repo: string, cwd?: string): Promise<Measure> {
	// Writeback left by the step before (200,000 new files) must not land on this one's clock.
	await execa('sync');
	if (process.env['BENCH_DROP_CACHES'] === '1') {
		fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
	}

	const before = await sizeOf(repo);
	const command = tool === 'sedai' ? [cli, ...args] : args;
	const result = await execa('/usr/bin/time', ['-f', '%e %U %S %M', executable[tool], ...command], {env: environment, reject: false, stdin: 'ignore', ...(cwd ? {cwd} : {})});
	const last = result.stderr.trim().split('\n').at(-1) ?? '';
	const [seconds, user, system, kilobytes] = last.split(' ').map(Number);
	if (result.exitCode !== 0 || seconds === undefined || user === undefined || system === undefined || kilobytes === undefined) {
		throw new Error(`${tool} ${args.join(' ')} failed (${result.exitCode}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
	}

	return {seconds, cpuSeconds: user + system, rssMb: kilobytes / 1024, addedBytes: await sizeOf(repo) - before};
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

async function step(name: string, commands: Commands, before?: () => Promise<void>, after?: (tool: Tool) => Promise<void>): Promise<void> {
	const measures: Partial<Record<Tool, Measure>> = {};
	for (const tool of tools) {
		const command = commands[tool];
		if (!command) {
			continue;
		}

		await before?.();
		measures[tool] = await timed(tool, command.args, command.repo, command.cwd);
		await after?.(tool);
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
await clean([...Object.values(main), environment.SEDAI_HOME, environment.RESTIC_CACHE_DIR, environment.BORG_BASE_DIR]);

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

const {targets, unmount} = await mountRestoreTargets(work, await sizeOf(data));
const correctness: string[] = [];
try {
	await restoreSteps('', main, data);
	const smallFiles = Number(process.env['BENCH_SMALL_FILES'] ?? 200_000);
	if (smallFiles > 0) {
		await smallFileSteps(smallFiles);
	}
} finally {
	await unmount();
}

const repoSizes = `repository size: ${(await Promise.all(tools.map(async tool => `${tool} ${(await sizeOf(main[tool]) / 1e6).toFixed(1)} MB`))).join(', ')}`;

/** Restore the latest generation to every target; each tool's tree is checked against the source, then removed. */
async function restoreSteps(label: string, repos: Repos, source: string): Promise<void> {
	const expected = await digest(source);
	const relative = source.replace(/^\//, '');
	for (const {name, folder} of targets) {
		emptyFolder(folder);
		const restoredBy: Record<Tool, string> = {sedai: path.join(folder, path.basename(source)), restic: path.join(folder, relative), borg: path.join(folder, relative)};
		const matches: string[] = [];
		await step(`${label}restore + verify to ${name}`, {
			sedai: {args: ['restore', 'latest', '--repo', repos.sedai, '--into', folder, '--json'], repo: repos.sedai},
			restic: {args: ['-r', repos.restic, 'restore', 'latest', '--target', folder, '--verify', '-q'], repo: repos.restic},
			// Borg extracts into the current folder and checks every chunk's id as it goes.
			borg: {args: ['extract', `${repos.borg}::a${archive}`], repo: repos.borg, cwd: folder},
		}, undefined, async tool => {
			matches.push(`${tool} ${await digest(restoredBy[tool]) === expected ? 'yes' : 'NO'}`);
			emptyFolder(folder);
		});
		correctness.push(`${label}restored to ${name} matches the source: ${matches.join(', ')}`);
	}
}

/** A tree of many small files: first, incremental (one folder in a hundred changed) and no-change backup, then restores. */
async function smallFileSteps(count: number): Promise<void> {
	const small = path.join(work, 'small');
	const repos = reposIn('small-');
	await clean([small, ...Object.values(repos)]);
	makeSmallFiles(small, count);
	await init(repos);
	const label = `${count.toLocaleString('en')} files: `;
	await step(`${label}first backup`, backupCommands(repos, small), async () => warm(small));
	touchSmallFiles(small, count);
	await step(`${label}incremental (1% changed)`, backupCommands(repos, small), async () => warm(small));
	await step(`${label}no-change backup`, backupCommands(repos, small), async () => warmMetadata(small));
	await restoreSteps(label, repos, small);
}

/** Rewrite every file of one folder in a hundred (fixed choice), as a day's new scans would. */
function touchSmallFiles(root: string, count: number): void {
	for (let i = 0; i < count; i += 100) {
		if ((i / 100) % 100 === 7) {
			const file = smallFilePath(root, i);
			fs.appendFileSync(file, ` amended ${i}`);
		}
	}
}

function smallFilePath(root: string, i: number): string {
	return path.join(root, `d${Math.floor(i / 10_000)}`, `s${Math.floor(i / 100) % 100}`, `f${i}.txt`);
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
		const file = smallFilePath(root, i);
		if (i % 100 === 0) {
			fs.mkdirSync(path.dirname(file), {recursive: true});
		}

		const size = 1024 + (next() % 3072);
		let text = `record ${i} `;
		while (text.length < size) {
			text += `${words[next() % words.length]} ${next() % 1000} `;
		}

		fs.writeFileSync(file, text.slice(0, size));
	}
}

const ratioOf = (measures: Partial<Record<Tool, Measure>>) => {
	const peers = (['restic', 'borg'] as const).map(tool => measures[tool]?.seconds).filter((seconds): seconds is number => seconds !== undefined);
	return measures.sedai!.seconds / Math.min(...peers);
};

const cell = (measure: Measure | undefined, show: (measure: Measure) => string) => measure ? show(measure) : '-';
const kb = (bytes: number) => bytes < 10_000 ? `${bytes} B` : `${(bytes / 1e6).toFixed(1)} MB`;
const columns = (title: string) => tools.map(tool => `${tool} ${title}`).join(' | ');
const right = () => tools.map(() => '---:').join(' | ');
const lines = [
	`| step | ${columns('s')} | Sedai / best peer | ${columns('CPU s')} | ${columns('RSS MB')} | ${columns('added')} |`,
	`| --- | ${right()} | ---: | ${right()} | ${right()} | ${right()} |`,
	...steps.map(({name, measures}) => {
		const each = (show: (measure: Measure) => string) => tools.map(tool => cell(measures[tool], show)).join(' | ');
		return `| ${name} | ${each(m => m.seconds.toFixed(2))} | ${ratioOf(measures).toFixed(2)} | ${each(m => m.cpuSeconds.toFixed(2))} | ${each(m => m.rssMb.toFixed(0))} | ${each(m => kb(m.addedBytes))} |`;
	}),
];
const context = `dataset SCALE=${process.env['SCALE'] ?? '1'} (${data}), ${version}, node ${process.version}, ${(await execa('nproc')).stdout.trim()} cores`;
console.log([context, '', ...lines, '', repoSizes, ...correctness].join('\n'));
fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify({context, steps, repoSizes, correctness}, undefined, 2));
const worst = Math.max(...steps.map(({measures}) => ratioOf(measures)));
const peak = Math.max(...steps.map(({measures}) => measures.sedai!.rssMb));
console.log(`\nworst ratio ${worst.toFixed(2)} (target <= 0.7); Sedai peak RSS ${peak.toFixed(0)} MB (target <= 150 at SCALE=1)`);
if (correctness.some(line => line.includes('sedai NO'))) {
	process.exitCode = 1;
}
