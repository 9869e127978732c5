import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {cliPath} from '../helpers/cli.js';

/**
 * The built CLI is a bundle whose heavy parts load only when used (scripts/build.ts): a
 * headless command must not pay for the console (Ink, React), mail, or process spawning. A
 * module hook in the child process records every module that ESM resolution reaches (the
 * bundle's chunks, and every package left outside it).
 */
const hooks = String.raw`
import fs from 'node:fs';
export async function resolve(specifier, context, next) {
	const result = await next(specifier, context);
	fs.appendFileSync(process.env.LOADED_LOG, result.url + '\n');
	return result;
}
`;

async function loaded(home: string, ...args: string[]): Promise<string[]> {
	const log = path.join(home, `loaded-${args[0]}.log`);
	await fs.writeFile(path.join(home, 'hooks.mjs'), hooks);
	await fs.writeFile(path.join(home, 'register.mjs'), 'import {register} from \'node:module\'; register(\'./hooks.mjs\', import.meta.url);\n');
	await execa('node', ['--import', path.join(home, 'register.mjs'), cliPath, ...args], {env: {SEDAI_HOME: home, LOADED_LOG: log, NO_COLOR: '1'}, reject: false});
	return [...new Set((await fs.readFile(log, 'utf8')).split('\n').filter(url => url.startsWith('file:')))];
}

test('a headless command loads a few bundled files, and none of the console, mail or process libraries', async t => {
	const home = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-start-'));
	try {
		for (const args of [['--version'], ['help'], ['settings', 'show', '--json']]) {
			const urls = await loaded(home, ...args);
			const ours = urls.filter(url => url.includes('/dist/'));
			t.true(ours.length > 0 && ours.length <= 25, `${args.join(' ')} loaded ${ours.length} bundled files`);
			for (const heavy of ['/node_modules/ink/', '/node_modules/react/', 'nodemailer', 'execa', 'run-tui', 'run-monitor']) {
				t.false(urls.some(url => url.includes(heavy)), `${args.join(' ')} loaded ${heavy}`);
			}
		}
	} finally {
		await fs.rm(home, {recursive: true, force: true});
	}
});
