import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {ensureDemoWorld} from '../../source/demo/world.js';
import {sedai} from '../helpers/cli.js';
import {removeTree} from '../helpers/trees.js';

/**
 * `sedai drives` over the demo world's bays (real repositories on file-backed cartridges, SMART
 * from smartctl fixtures), in Japanese under LANG=ja_JP.UTF-8 and in English under LANG=C.
 */
test('sedai drives speaks the locale: drive facts, SMART reasons and repositories', async t => {
	const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sedai-drives-ja-'));
	try {
		const world = await ensureDemoWorld({root});
		const environment = (lang: string) => ({SEDAI_DEMO_DIR: world.root, LANG: lang, LC_ALL: undefined, LC_MESSAGES: undefined});
		const ja = await sedai(['drives'], {home: world.home, env: environment('ja_JP.UTF-8')});
		t.is(ja.exitCode, 0, ja.stderr);
		t.regex(ja.stdout, /SMART (正常|注意|異常|不明)/);
		t.regex(ja.stdout, /Sedai リポジトリ「RDX-A」\(ID [\da-f]{8}\) .*: 世代 \d+ 件/);
		t.regex(ja.stdout, /ドライブ \d+ 台、Sedai リポジトリ \d+ 個。/);
		t.notRegex(ja.stdout, /generation\(s\)|sectors have been remapped|No SMART data/);
		const en = await sedai(['drives'], {home: world.home, env: environment('C')});
		t.regex(en.stdout, /Sedai repository "RDX-A" \(id [\da-f]{8}\) at .*: \d+ generation\(s\)/);
		t.regex(en.stdout, /\d+ drive\(s\), \d+ Sedai repository\(ies\)\./);
		t.notRegex(en.stdout, /[\u3040-\u30FF]/);
	} finally {
		removeTree(root);
	}
});
