/**
 * `npm run build`: dist/cli.js and dist/worker.js, bundled by esbuild from source/.
 *
 * Why a bundle: Node's ESM loader costs about 1 ms per module, and a headless command loaded
 * ~470 of them (ours, conf's ajv, commander, valibot…) before doing any work: 0.45 s for
 * `sedai --version`, most of a short command's wall time. Split chunks keep lazy imports
 * lazy (the console, execa, nodemailer, the monitor load only when used), and every chunk
 * sits flat in dist/ so that `new URL('./worker.js', import.meta.url)` finds the worker.
 *
 * Left outside the bundle, resolved from node_modules at run time:
 * - ink and react: the console reaches Ink's own files (ui/ink-row-cache.ts,
 *   ui/ink-frame-flush.ts), which needs the one copy in node_modules;
 * - blessed and blessed-contrib: they require their widgets by computed name;
 * - the two WASM codecs: they read their .wasm beside their own files.
 * Types are checked by `npm run typecheck` (tsc), not here.
 */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');

const external = [
	'ink',
	'react',
	'react/*',
	'react-devtools-core',
	'blessed',
	'blessed-contrib',
	'lz4-wasm-nodejs',
	'@bokuweb/zstd-wasm',
];

fs.rmSync(out, {recursive: true, force: true});
await esbuild.build({
	absWorkingDir: root,
	entryPoints: {cli: 'source/cli.tsx', worker: 'source/core/workers/worker.ts'},
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20.19',
	outdir: out,
	chunkNames: '[name]-[hash]',
	external,
	// CommonJS packages inside the ESM bundle (ajv, semver…) require Node's builtins.
	banner: {js: 'import {createRequire as __sedaiCreateRequire} from "node:module"; const require = __sedaiCreateRequire(import.meta.url);'},
	// Readable stack traces under SEDAI_DEBUG=1: names kept, nothing minified.
	keepNames: true,
	legalComments: 'none',
	logLevel: 'warning',
});
fs.chmodSync(path.join(out, 'cli.js'), 0o755);
