import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {sedai, sedaiProcess} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/**
 * Protection comes before local bookkeeping: a state.json that breaks while a generation is
 * sealed (a full home disk, a stray editor) costs the cartridge list an entry, never the new
 * generation its immutable flag. Needs root and chattr (ext4 or similar under the temp folder).
 */
async function waitFor(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}

test('a state.json corrupted while sealing: the generation is still sealed and immutable', async t => {
	const work = temporaryDirectory();
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const source = path.join(work, 'clinic');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'a.txt'), 'chart\n');
	const repo = path.join(work, 'repo');
	await sedai(['init', repo, '--plaintext'], {home});
	const marker = path.join(work, 'paused');
	const running = sedaiProcess(['backup', source, '--repo', repo], {home, env: {SEDAI_TEST_PAUSE_AT: 'seal:before-rename', SEDAI_TEST_MARKER: marker}});
	await waitFor(() => fs.existsSync(marker));
	fs.writeFileSync(path.join(home, 'state.json'), '{"cartridges": {"broken');
	fs.rmSync(marker);
	const result = await running;
	t.is(result.exitCode, 0, String(result.stderr));
	t.regex(String(result.stdout), /sealed generation [\da-f]{8} \(#1\).*protection: immutable/);
	const [file] = fs.readdirSync(path.join(repo, 'generations'));
	const {stdout} = await execa('lsattr', ['-d', path.join(repo, 'generations', file)]);
	t.regex(stdout.split(/\s/)[0], /i/, 'the generation file is immutable');
});
