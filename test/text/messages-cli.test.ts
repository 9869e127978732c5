import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sedai} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/trees.js';

/**
 * The real CLI speaks the locale: `sedai compliance` over a real repository (made by `sedai
 * init` and `sedai backup`) prints Japanese evidence and actions under LANG=ja_JP.UTF-8, English
 * under LANG=C; settings.language overrides the locale; errors follow the same language.
 */
const japanese = {LANG: 'ja_JP.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined};
const english = {LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined};

async function site(t: {is: (actual: unknown, expected: unknown, message?: string) => void}) {
	const home = temporaryDirectory('sedai-home-');
	const source = temporaryDirectory('sedai-source-');
	fs.writeFileSync(path.join(source, 'karte.txt'), '患者記録\n');
	const repo = path.join(temporaryDirectory('sedai-rdx-'), 'sedai');
	const init = await sedai(['init', repo, '--label', 'RDX-A'], {home});
	t.is(init.exitCode, 0, init.stderr);
	const backup = await sedai(['backup', source, '--repo', repo], {home});
	t.is(backup.exitCode, 0, backup.stderr);
	return {home, repo};
}

test('sedai compliance prints Japanese evidence and actions under LANG=ja_JP.UTF-8, English under LANG=C', async t => {
	const {home} = await site(t);
	const ja = await sedai(['compliance'], {home, env: japanese});
	t.is(ja.exitCode, 1, ja.stderr);
	t.regex(ja.stdout, /ガイドライン準拠/);
	t.regex(ja.stdout, /不適合 +世代数: 封印済みの世代が 3 以上あり/);
	t.regex(ja.stdout, /封印済みの世代 1 件、\d{4}-\d{2}-\d{2} から \d{4}-\d{2}-\d{2} まで \("RDX-A": 1\)。/);
	t.regex(ja.stdout, /→ 世代が 3 件以上になるまで 1 日 1 回バックアップしてください \(現在 1 件\)。/);
	t.regex(ja.stdout, /"RDX-A": 完全検証が一度も行われていません。/);
	t.regex(ja.stdout, /7 項目中 \d 項目が不適合/);
	t.notRegex(ja.stdout, /sealed generation|never fully verified|{\w+}/);

	const en = await sedai(['compliance'], {home, env: english});
	t.is(en.exitCode, 1);
	t.regex(en.stdout, /FAIL +Generations: at least 3 sealed generations/);
	t.regex(en.stdout, /1 sealed generation\(s\) from/);
	t.regex(en.stdout, /-> Run backups until at least 3 generations exist \(1 now\), one a day\./);
	// The guideline is cited by its Japanese title in the heading; everything below is English.
	t.notRegex(en.stdout.split('\n').slice(1).join('\n'), /[\u3040-\u30FF]/);
});

test('--json stays English with the codes next to it, whatever the locale', async t => {
	const {home} = await site(t);
	const run = await sedai(['compliance', '--json'], {home, env: japanese});
	const generations = run.lines.find(line => line['id'] === 'generations')!;
	t.regex(String(generations['action']), /^Run backups until at least 3 generations exist/);
	const messages = generations['messages'] as {action: {code: string; params: Record<string, unknown>}};
	t.deepEqual(messages.action, {code: 'compliance.generations.fewAction', params: {minimum: 3, count: 1}});
});

test('settings.language overrides the locale', async t => {
	const {home} = await site(t);
	const settings = path.join(home, 'settings.json');
	const current = fs.existsSync(settings) ? JSON.parse(fs.readFileSync(settings, 'utf8')) as Record<string, unknown> : {};
	fs.writeFileSync(settings, JSON.stringify({...current, language: 'ja'}));
	const run = await sedai(['compliance'], {home, env: english});
	t.regex(run.stdout, /封印済みの世代 1 件/);
});

test('a wrong passphrase under LANG=ja prints the Japanese sentence on stderr and exits 1', async t => {
	const {home, repo} = await site(t);
	const ja = await sedai(['verify', '--repo', repo], {home, passphrase: 'wrong horse', env: japanese});
	t.is(ja.exitCode, 1);
	t.is(ja.stderr.trim(), `sedai: ${repo} のリポジトリ「RDX-A」のパスフレーズが違います: SEDAI_PASSPHRASE またはパスフレーズファイルを確認して、もう一度実行してください。`);
	const en = await sedai(['verify', '--repo', repo], {home, passphrase: 'wrong horse', env: english});
	t.is(en.exitCode, 1);
	t.regex(en.stderr, /^sedai: Wrong passphrase for the repository "RDX-A" at /);
});

test('a folder that is no repository gets the Japanese sentence too', async t => {
	const home = temporaryDirectory('sedai-home-');
	const nowhere = path.join(temporaryDirectory('sedai-empty-'), 'none');
	const run = await sedai(['verify', '--repo', nowhere], {home, env: japanese});
	t.is(run.exitCode, 1);
	t.is(run.stderr.trim(), `sedai: ${nowhere} に Sedai のリポジトリがありません: パスを確認するか、\`sedai init ${nowhere}\` で作成してください。`);
});
