import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {sedai} from '../helpers/cli.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** The settings file as the built `sedai` reads it: defaults filled in, a bad file one sentence. */
async function repositoryWithOneGeneration(t: ExecutionContext, settings: string): Promise<{home: string; repo: string}> {
	const work = temporaryDirectory('sedai-settings-cli-');
	t.teardown(() => {
		removeTree(work);
	});
	const home = path.join(work, 'home');
	const clinic = path.join(work, 'clinic');
	const repo = path.join(work, 'repo');
	fs.mkdirSync(home);
	fs.mkdirSync(clinic);
	fs.writeFileSync(path.join(clinic, 'chart.txt'), 'patient 1');
	t.is((await sedai(['init', repo, '--label', 'NAS', '--plaintext'], {home})).exitCode, 0);
	const backup = await sedai(['backup', clinic, '--repo', repo], {home});
	t.is(backup.exitCode, 0, backup.stderr);
	fs.writeFileSync(path.join(home, 'settings.json'), settings);
	return {home, repo};
}

test('a partial retention in settings.json takes the other fields from the defaults: prune runs', async t => {
	// A source that went missing is the backup's to report: it does not stop other commands.
	const {home, repo} = await repositoryWithOneGeneration(t, '{"retention":{"daily":3},"sources":["/no/such/clinic"]}');
	const before = fs.readFileSync(path.join(home, 'settings.json'), 'utf8');
	const prune = await sedai(['prune', '--repo', repo, '--dry-run', '--json'], {home});
	t.is(prune.exitCode, 0, prune.stderr);
	t.is(prune.summary?.['kept'], 1, prune.stdout);
	t.is(prune.summary?.['removed'], 0);
	t.is(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'), before, 'reading never rewrites the file');
});

for (const [what, settings, field] of [
	['a typo', '{"retension":{"daily":3}}', 'retension: unknown setting'],
	['a value out of range', '{"retention":{"daily":-2}}', 'retention.daily: -2 is not allowed'],
	['a scratch folder inside a source', '{"sources":["/srv/ehr"],"scratch":"/srv/ehr/restore"}', 'scratch: "/srv/ehr/restore" is inside sources[0]'],
	['broken JSON', '{"retention":', ''],
] as const) {
	test(`a settings file with ${what}: exit 1 and one line on stderr naming it, no stack trace`, async t => {
		const {home, repo} = await repositoryWithOneGeneration(t, settings);
		for (const args of [['prune', '--repo', repo, '--dry-run'], ['compliance']]) {
			const result = await sedai(args, {home});
			t.is(result.exitCode, 1, `${args[0]}: ${result.stderr}`);
			const lines = result.stderr.trimEnd().split('\n');
			t.is(lines.length, 1, result.stderr);
			t.true(lines[0].startsWith(`sedai: The settings file ${path.join(home, 'settings.json')} is not valid`), lines[0]);
			t.true(lines[0].includes(field), lines[0]);
			t.notRegex(result.stderr, /\bat .*\.js:\d+/, 'no stack trace');
		}
	});
}
