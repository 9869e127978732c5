/**
 * `npm run bundle`: dist-bundle/sedai, one executable for air-gapped servers without Node.js.
 * esbuild bundles the CLI (ink, react, yoga included) and, separately, the worker thread, whose
 * code is embedded as a string; lz4's WASM is embedded as base64 (the gear-cut chunker's
 * already is). Node's single executable applications (SEA) then inject it into a copy of this
 * very node binary with postject. Also writes dist-bundle/sedai.sha256 for `sha256sum -c`.
 */
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist-bundle');
const work = path.join(out, 'build');

// The bundle's files are not where the sources were: import.meta.url means the executable.
const urlBanner = 'var __sedaiUrl = require("node:url").pathToFileURL(process.execPath).href;';
// CommonJS packages inside the ESM bundle may still name their own folder.
const dirnameBanner = 'var __filename = process.execPath; var __dirname = require("node:path").dirname(__filename);';

const embedWasm: esbuild.Plugin = {
	name: 'embed-wasm',
	setup(build) {
		build.onLoad({filter: /lz4_wasm_nodejs\.js$/}, async ({path: file}) => {
			const wasm = fs.readFileSync(path.join(path.dirname(file), 'lz4_wasm_nodejs_bg.wasm')).toString('base64');
			const text = fs.readFileSync(file, 'utf8').replace(/const path = require\('path'\).*\n.*readFileSync\(path\);/u, `const bytes = Buffer.from(${JSON.stringify(wasm)}, 'base64');`);
			if (!text.includes('const bytes = Buffer.from(')) {
				throw new Error('lz4-wasm-nodejs changed how it loads its WASM: update scripts/bundle.ts');
			}

			return {contents: text, loader: 'js'};
		});
		build.onLoad({filter: /zstd-wasm[\\/]dist[\\/]common[\\/]index\.node\.js$/}, async ({path: file}) => {
			const wasm = fs.readFileSync(path.join(path.dirname(file), 'zstd.wasm')).toString('base64');
			const text = fs.readFileSync(file, 'utf8').replace('yield readFile(resolve(__dirname, \'./zstd.wasm\'))', `Buffer.from(${JSON.stringify(wasm)}, 'base64')`);
			if (!text.includes('Buffer.from(')) {
				throw new Error('@bokuweb/zstd-wasm changed how it loads its WASM: update scripts/bundle.ts');
			}

			return {contents: text, loader: 'js'};
		});
		build.onLoad({filter: /compression\.ts$/}, async ({path: file}) => {
			const source = fs.readFileSync(file, 'utf8');
			const text = source.replace('const require = createRequire(import.meta.url);', '');
			if (text === source) {
				throw new Error('compression.ts changed how it loads zstd: update scripts/bundle.ts');
			}

			return {contents: text, loader: 'ts'};
		});
		// A require that esbuild can see (createRequire(import.meta.url) is opaque to it).
		build.onLoad({filter: /blob-codec\.ts$/}, async ({path: file}) => ({
			contents: fs.readFileSync(file, 'utf8').replace('createRequire(import.meta.url)(\'lz4-wasm-nodejs\')', 'require(\'lz4-wasm-nodejs\')'),
			loader: 'ts',
		}));
	},
};

// The filters below are Go regular expressions for esbuild: no /u flag.

/** Optional packages never installed nor loaded: React's development tools, blessed's terminal widget. */
const stubOptional: esbuild.Plugin = {
	name: 'stub-optional',
	setup(build) {
		build.onResolve({filter: /^(react-devtools-core|term\.js|pty\.js)$/}, ({path: name}) => ({path: name, namespace: 'stub'}));
		build.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'module.exports = {};', loader: 'js'}));
	},
};

const common: esbuild.BuildOptions = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	write: false,
	minify: true,
	legalComments: 'none',
	define: {'import.meta.url': '__sedaiUrl', 'process.env.NODE_ENV': '"production"'},
	logLevel: 'warning',
};

async function workerCode(): Promise<string> {
	const result = await esbuild.build({...common, entryPoints: [path.join(root, 'source/core/workers/worker.ts')], format: 'cjs', banner: {js: urlBanner}, plugins: [embedWasm, stubOptional]});
	return result.outputFiles![0].text;
}

async function cliCode(worker: string): Promise<string> {
	const embedWorker: esbuild.Plugin = {
		name: 'embed-worker',
		setup(build) {
			build.onLoad({filter: /embedded-worker\.ts$/}, () => ({contents: `export const embeddedWorker = ${JSON.stringify(worker)};`, loader: 'js'}));
		},
	};
	const result = await esbuild.build({
		...common,
		entryPoints: [path.join(root, 'source/cli.tsx')],
		// ESM for the top-level awaits (ours and yoga's); CJS packages get a real require for builtins.
		format: 'esm',
		banner: {js: `import {createRequire as __sedaiRequire} from "node:module"; const require = __sedaiRequire(process.execPath); ${urlBanner} ${dirnameBanner}`},
		plugins: [embedWasm, embedWorker, stubOptional],
	});
	return result.outputFiles![0].text;
}

/** SEA runs one CommonJS script: it imports the ESM bundle (kept as an asset) from a data: URL. */
const seaMain = String.raw`
const {getAsset} = require('node:sea');
const vm = require('node:vm');
const code = getAsset('sedai.mjs', 'utf8');
const url = 'data:text/javascript;base64,' + Buffer.from(code).toString('base64');
// The loader hook below is stable enough for this one use: keep its warning off the technician's screen.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER') ? undefined : emitWarning.call(process, warning, ...rest);
new vm.Script('import(' + JSON.stringify(url) + ')', {importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER}).runInThisContext().catch(error => {
	process.stderr.write('sedai: ' + String(error && error.message ? error.message : error).replace(/data:text\/javascript;base64,[^"\s]*/g, 'the bundle') + '\n');
	process.exitCode = 1;
});
`;

function makeExecutable(): string {
	const executable = path.join(out, 'sedai');
	const config = {main: path.join(work, 'sea-main.cjs'), output: path.join(work, 'sea-prep.blob'), disableExperimentalSEAWarning: true, useCodeCache: false, assets: {'sedai.mjs': path.join(work, 'sedai.mjs')}};
	fs.writeFileSync(path.join(work, 'sea-config.json'), JSON.stringify(config));
	execFileSync(process.execPath, ['--experimental-sea-config', path.join(work, 'sea-config.json')], {stdio: 'inherit'});
	fs.copyFileSync(process.execPath, executable);
	fs.chmodSync(executable, 0o755);
	const postject = path.join(root, 'node_modules/postject/dist/cli.js');
	execFileSync(process.execPath, [postject, executable, 'NODE_SEA_BLOB', config.output, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], {stdio: ['ignore', 'ignore', 'inherit']});
	return executable;
}

fs.rmSync(out, {recursive: true, force: true});
fs.mkdirSync(work, {recursive: true});
const cli = await cliCode(await workerCode());
fs.writeFileSync(path.join(work, 'sedai.mjs'), cli);
fs.writeFileSync(path.join(work, 'sea-main.cjs'), seaMain);
const executable = makeExecutable();
fs.rmSync(work, {recursive: true});
const digest = createHash('sha256').update(fs.readFileSync(executable)).digest('hex');
fs.writeFileSync(`${executable}.sha256`, `${digest}  sedai\n`);
process.stdout.write(`${executable} (${(fs.statSync(executable).size / 1_048_576).toFixed(0)} MiB, node ${process.version} ${process.platform}-${process.arch})\nsha256 ${digest}\n`);
