import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {sedai} from '../helpers/cli.js';
import {StateStore} from '../../source/settings/state.js';
import {readProtection, unprotect} from '../../source/system/protect.js';
import {sealedFiles} from '../../source/system/generation-protection.js';
import {layoutOf} from '../../source/core/repository/layout.js';
import {cartridgeWithRepository, env, uniqueLabel} from './cartridge-setup.js';

async function immutableFlags(files: string[]): Promise<Map<string, boolean>> {
	const {stdout} = await execa('lsattr', ['-d', '--', ...files]);
	return new Map(stdout.split('\n').map(line => {
		const [flags, ...rest] = line.split(' ');
		return [rest.join(' '), flags.includes('i')];
	}));
}

test('after `sedai backup` on ext4 as root the new generation is immutable (lsattr shows i) and recorded so', async t => {
	const item = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('IMM')});
	await fs.writeFile(path.join(item.source, 'new-visit.txt'), 'follow-up in two weeks\n');
	const backup = await sedai(['backup', item.source, '--repo', item.repoPath, '--json'], env(item.home));
	t.is(backup.exitCode, 0, `${backup.stderr}${backup.stdout}`);
	t.is(backup.summary?.['protection'], 'immutable');
	const generationId = String(backup.summary?.['generation']);
	const generationFile = path.join(item.repoPath, 'generations', `${generationId}.gen`);
	const flags = await immutableFlags([generationFile]);
	t.true(flags.get(generationFile), 'lsattr shows the i flag on the sealed generation');
	await t.throwsAsync(fs.unlink(generationFile), {code: 'EPERM'}, 'not even root can delete it');

	const state = new StateStore(item.home);
	const remembered = state.cartridge(item.repository.id)?.generations.find(generation => generation.id === generationId);
	t.is(remembered?.protection, 'immutable');

	// The first generation was written by the engine alone: read-only files, not immutable.
	const beforeCheck = await sedai(['protect', '--repo', item.repoPath, '--check', '--json'], env(item.home));
	t.is(beforeCheck.exitCode, 1, 'a read-only mode is not protection: one chmod undoes it');
	const [first, second] = beforeCheck.lines.filter(line => line['type'] === 'generation');
	t.is(first?.['protection'], 'read-only');
	t.regex(String(first?.['note']), /not immutable/);
	// The second generation reuses the first one's packs for unchanged files: it is only as
	// protected as the least protected file it needs.
	t.is(second?.['protection'], 'read-only');
	const firstFile = path.join(item.repoPath, 'generations', `${String(first?.['id'])}.gen`);
	const firstFlags = await immutableFlags([firstFile]);
	t.false(firstFlags.get(firstFile));
	const apply = await sedai(['protect', '--repo', item.repoPath, '--json'], env(item.home));
	t.is(apply.exitCode, 0, `${apply.stderr}${apply.stdout}`);
	const check = await sedai(['protect', '--repo', item.repoPath, '--check', '--json'], env(item.home));
	t.is(check.exitCode, 0);
	const generations = check.lines.filter(line => line['type'] === 'generation');
	t.is(generations.length, 2);
	t.true(generations.every(generation => generation['protection'] === 'immutable' && generation['exact'] === true));
	const all = await sealedFiles(layoutOf(item.repoPath));
	const allFlags = await immutableFlags(all);
	t.true([...allFlags.values()].every(Boolean));
});

test('unprotect lifts the flag from exactly the files named (for prune), nothing else', async t => {
	const item = await cartridgeWithRepository(t, {fsType: 'ext4', label: uniqueLabel('UNP')});
	const protect = await sedai(['protect', '--repo', item.repoPath, '--json'], env(item.home));
	t.is(protect.exitCode, 0);
	const files = await sealedFiles(layoutOf(item.repoPath));
	t.true(files.length >= 3);
	const [first, ...rest] = files;
	const result = await unprotect([first]);
	t.is(result.lifted, 1);
	const after = await readProtection(files);
	t.false(after.find(state => state.file === first)!.immutable);
	t.true(after.filter(state => rest.includes(state.file)).every(state => state.immutable));
	t.true(after.every(state => state.readOnly), 'read-only mode stays');
});

test('on exFAT there is no immutable flag: the generation reports why it is not protected', async t => {
	const item = await cartridgeWithRepository(t, {fsType: 'exfat', label: uniqueLabel('EXF')});
	const backup = await sedai(['backup', item.source, '--repo', item.repoPath, '--json'], env(item.home));
	t.is(backup.exitCode, 0, `${backup.stderr}${backup.stdout}`);
	t.not(backup.summary?.['protection'], 'immutable');
	t.regex(String(backup.summary?.['protectionNote']), /exFAT/);
	t.regex(String(backup.summary?.['protectionNote']), /immutable flag/);
	const check = await sedai(['protect', '--repo', item.repoPath, '--check', '--json'], env(item.home));
	const generations = check.lines.filter(line => line['type'] === 'generation');
	t.is(generations.length, 2);
	t.true(generations.every(generation => generation['protection'] !== 'immutable'));
	t.true(generations.every(generation => String(generation['note']).includes('exFAT has no immutable flag')));
	// No immutable flag on exFAT: read-only at best (the kernel driver), writable with exfat-fuse; neither protects.
	t.is(check.exitCode, 1);
});
