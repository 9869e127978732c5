import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {execa} from 'execa';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * `npm run bundle` makes one file that runs where there is no Node.js and no node_modules:
 * copied alone into an empty folder, with a PATH that holds every system tool but node.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const nodeNames = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

/** A folder of links to every program on PATH except Node's own. */
function pathWithoutNode(into: string): string {
	fs.mkdirSync(into);
	for (const folder of (process.env['PATH'] ?? '').split(':').filter(Boolean)) {
		for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
			const link = path.join(into, name);
			if (!nodeNames.has(name) && !fs.existsSync(link)) {
				fs.symlinkSync(path.join(folder, name), link);
			}
		}
	}

	return into;
}

test('the one-file executable runs --version, init, backup and verify --full without node or node_modules', async t => {
	const built = await execa('npm', ['run', 'bundle'], {cwd: root, reject: false});
	t.is(built.exitCode, 0, built.stderr);
	const check = await execa('sha256sum', ['-c', 'sedai.sha256'], {cwd: path.join(root, 'dist-bundle'), reject: false});
	t.is(check.stdout.trim(), 'sedai: OK', check.stderr);

	const place = temporaryDirectory('sedai-bundle-');
	t.teardown(() => {
		removeTree(place);
	});
	const executable = path.join(place, 'sedai');
	fs.copyFileSync(path.join(root, 'dist-bundle', 'sedai'), executable);
	fs.chmodSync(executable, 0o755);
	const source = path.join(place, 'ehr');
	fs.mkdirSync(source);
	for (let index = 0; index < 20; index++) {
		fs.writeFileSync(path.join(source, `patient-${index}.xml`), `<patient id="${index}">${'カルテ '.repeat(1000 * (index + 1))}</patient>\n`);
	}

	const env = {PATH: pathWithoutNode(path.join(place, 'bin')), SEDAI_HOME: path.join(place, 'home'), NO_COLOR: '1', HOME: place};
	const noNode = await execa('sh', ['-c', 'command -v node'], {env, extendEnv: false, reject: false});
	t.not(noNode.exitCode, 0, 'node must not be on PATH');
	t.false(fs.existsSync(path.join(place, 'node_modules')));
	const run = async (...args: string[]) => execa(executable, args, {env, extendEnv: false, cwd: place, reject: false, stdin: 'ignore'});

	const version = await run('--version');
	t.is(version.exitCode, 0, version.stderr);
	t.regex(version.stdout, /^\d+\.\d+\.\d+$/u);
	const repo = path.join(place, 'repo');
	const init = await run('init', '--plaintext', repo);
	t.is(init.exitCode, 0, init.stderr);
	const backup = await run('backup', '--repo', repo, source, '--json');
	t.is(backup.exitCode, 0, backup.stderr);
	const summary = JSON.parse(backup.stdout.trim().split('\n').at(-1)!) as {type: string; ok: boolean};
	t.like(summary, {type: 'summary', ok: true});
	const verify = await run('verify', '--full', '--repo', repo);
	t.is(verify.exitCode, 0, verify.stderr);
	t.regex(verify.stdout, /Full verification of "repo": OK\. 1 generation\(s\)/u);
	t.false(verify.stderr.includes('Warning'), verify.stderr);
});
