// Runs each benchmark step for Sedai and restic on the same data, one after the other, and
// prints wall seconds, peak RSS and the Sedai/restic ratio. Invoked by bench/run.sh.
import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';

const [dataset = ''] = process.argv.slice(2);
const work = process.env['BENCH_DIR'] ?? '/tmp/sedai-bench';
const data = path.join(work, 'data');
const sedaiRepo = path.join(work, 'sedai-repo');
const resticRepo = path.join(work, 'restic-repo');
const cli = path.resolve('dist/cli.js');
const environment = {
	...process.env,
	SEDAI_PASSPHRASE: 'bench-passphrase',
	RESTIC_PASSWORD: 'bench-passphrase',
	SEDAI_HOME: path.join(work, 'sedai-home'),
	RESTIC_CACHE_DIR: path.join(work, 'restic-cache'),
	NO_COLOR: '1',
};

type Measure = {seconds: number; rssMb: number};

async function timed(command: string, args: string[]): Promise<Measure> {
	if (process.env['BENCH_DROP_CACHES'] === '1') {
		await execa('sync');
		fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
	}

	const result = await execa('/usr/bin/time', ['-f', '%e %M', command, ...args], {env: environment, reject: false, stdin: 'ignore'});
	const last = result.stderr.trim().split('\n').at(-1) ?? '';
	const [seconds, kilobytes] = last.split(' ').map(Number);
	if (result.exitCode !== 0 || seconds === undefined || kilobytes === undefined) {
		throw new Error(`${command} ${args.join(' ')} failed (${result.exitCode}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
	}

	return {seconds, rssMb: kilobytes / 1024};
}

async function warm(): Promise<void> {
	// Both tools read from the same warm page cache.
	await execa('bash', ['-c', `find ${JSON.stringify(data)} -type f -print0 | xargs -0 cat > /dev/null`]);
}

async function warmMetadata(): Promise<void> {
	// A no-change backup reads only metadata: warm the directory and inode caches for both alike.
	await execa('find', [data, '-printf', '']);
}

const steps: Array<{name: string; sedai: Measure; restic: Measure}> = [];

async function step(name: string, sedaiArgs: string[], resticArgs: string[], before?: () => Promise<void>): Promise<void> {
	await before?.();
	const sedai = await timed('node', [cli, ...sedaiArgs]);
	await before?.();
	const restic = await timed('restic', resticArgs);
	steps.push({name, sedai, restic});
	process.stderr.write(`${name}: sedai ${sedai.seconds.toFixed(2)} s, restic ${restic.seconds.toFixed(2)} s\n`);
}

async function digest(directory: string): Promise<string> {
	const result = await execa(dataset, ['digest', directory], {env: environment});
	return result.stdout.trim();
}

for (const folder of [sedaiRepo, resticRepo, path.join(work, 'restore-sedai'), path.join(work, 'restore-restic'), environment.SEDAI_HOME, environment.RESTIC_CACHE_DIR]) {
	fs.rmSync(folder, {recursive: true, force: true});
}

// A fresh dataset state for every run (mutate below moves it on).
if ((JSON.parse(fs.readFileSync(`${data}.meta.json`, 'utf8')) as {generation: number}).generation !== 0) {
	await execa(dataset, ['gen'], {env: environment});
}

await execa('node', [cli, 'init', sedaiRepo, '--label', 'BENCH'], {env: environment});
await execa('restic', ['init', '-r', resticRepo], {env: environment});
const version = (await execa('restic', ['version'], {env: environment})).stdout.trim();

await step('first backup', ['backup', data, '--repo', sedaiRepo, '--json'], ['-r', resticRepo, 'backup', '-q', data], warm);
await execa(dataset, ['mutate'], {env: environment});
await step('incremental backup (after mutate)', ['backup', data, '--repo', sedaiRepo, '--json'], ['-r', resticRepo, 'backup', '-q', data], warm);
await step('no-change backup', ['backup', data, '--repo', sedaiRepo, '--json'], ['-r', resticRepo, 'backup', '-q', data], warmMetadata);
await step('full verify (vs check --read-data)', ['verify', '--repo', sedaiRepo, '--full', '--json'], ['-r', resticRepo, 'check', '--read-data', '-q']);
const sedaiOut = path.join(work, 'restore-sedai');
const resticOut = path.join(work, 'restore-restic');
await step('restore (Sedai also re-reads and verifies)', ['restore', 'latest', '--repo', sedaiRepo, '--into', sedaiOut, '--json'], ['-r', resticRepo, 'restore', 'latest', '--target', resticOut, '-q']);

const expected = await digest(data);
const sedaiDigest = await digest(path.join(sedaiOut, 'data'));
const resticDigest = await digest(path.join(resticOut, data.replace(/^\//, '')));
const sizes = async (folder: string) => Number((await execa('du', ['-sb', folder])).stdout.split('\t')[0]);

const rows = steps.map(({name, sedai, restic}) => ({
	name,
	sedai: sedai.seconds,
	restic: restic.seconds,
	ratio: sedai.seconds / restic.seconds,
	sedaiRss: sedai.rssMb,
	resticRss: restic.rssMb,
}));
const pad = (text: string, width: number) => text.padEnd(width);
const lines = [
	'| step | Sedai s | restic s | Sedai/restic | Sedai peak RSS MB | restic peak RSS MB |',
	'| --- | ---: | ---: | ---: | ---: | ---: |',
	...rows.map(row => `| ${pad(row.name, 40)} | ${row.sedai.toFixed(2)} | ${row.restic.toFixed(2)} | ${row.ratio.toFixed(2)} | ${row.sedaiRss.toFixed(0)} | ${row.resticRss.toFixed(0)} |`),
];
const repoSizes = `repository size: Sedai ${(await sizes(sedaiRepo) / 1e6).toFixed(0)} MB, restic ${(await sizes(resticRepo) / 1e6).toFixed(0)} MB`;
const correctness = `restored trees match the source: Sedai ${sedaiDigest === expected ? 'yes' : 'NO'}, restic ${resticDigest === expected ? 'yes' : 'NO'}`;
const context = `dataset SCALE=${process.env['SCALE'] ?? '1'} (${data}), ${version}, node ${process.version}, ${(await execa('nproc')).stdout.trim()} cores`;
console.log([context, '', ...lines, '', repoSizes, correctness].join('\n'));
fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify({context, rows, repoSizes, correctness}, undefined, 2));
const worst = Math.max(...rows.map(row => row.ratio));
const peak = Math.max(...rows.map(row => row.sedaiRss));
console.log(`\nworst ratio ${worst.toFixed(2)} (target <= 1.0, aim 0.7); Sedai peak RSS ${peak.toFixed(0)} MB (target <= 300)`);
if (sedaiDigest !== expected) {
	process.exitCode = 1;
}
