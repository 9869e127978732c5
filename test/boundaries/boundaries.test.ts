import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import Xo from 'xo';

/**
 * The layer rules in boundaries.config.js must bite: each fixture is linted as if it sat at the
 * given place in source/ (as a .js path: a virtual .ts file is unknown to the TypeScript project),
 * and must be refused by no-restricted-imports. A clean import must pass.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(import.meta.dirname, 'fixtures');

async function restrictedMessages(fixture: string, filePath: string): Promise<string[]> {
	const code = fixture.endsWith('.txt') ? await fs.readFile(path.join(fixtures, fixture), 'utf8') : fixture;
	const result = await new Xo({cwd: root}).lintText(code, {filePath: path.join(root, filePath)});
	return result.results.flatMap(file => file.messages).filter(message => message.ruleId === 'no-restricted-imports').map(message => message.message);
}

const refused: Array<[string, string]> = [
	['core-imports-ui.ts.txt', 'source/core/bad-fixture.js'],
	['core-imports-execa.ts.txt', 'source/core/jobs/bad-fixture.js'],
	['core-imports-settings-code.ts.txt', 'source/core/bad-fixture.js'],
	['cli-imports-ui.ts.txt', 'source/cli/bad-fixture.js'],
	['app-imports-cli.ts.txt', 'source/app/bad-fixture.js'],
	['report-imports-system.ts.txt', 'source/report/bad-fixture.js'],
	['core-imports-execa.ts.txt', 'source/report/bad-fixture.js'],
];

for (const [fixture, place] of refused) {
	test(`the boundary rule refuses ${fixture} at ${place}`, async t => {
		const messages = await restrictedMessages(fixture, place);
		t.true(messages.length > 0, `no-restricted-imports did not fire: ${messages.join('; ')}`);
	});
}

test('an allowed import passes the boundary rule', async t => {
	const messages = await restrictedMessages('import {formatBytes} from \'../text/format.js\';\n\nexport const size = formatBytes(1);\n', 'source/cli/good-fixture.js');
	t.deepEqual(messages, []);
});
