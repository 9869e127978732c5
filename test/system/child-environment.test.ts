import test from 'ava';
import {runTool} from '../../source/system/run-tool.js';
import {runSiteCheck} from '../../source/system/site-check.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

test.serial('a tool Sedai runs never sees SEDAI_PASSPHRASE or SEDAI_RECOVERY_KEY, but keeps the rest of the environment', async t => {
	const saved = {...process.env};
	t.teardown(() => {
		process.env = saved;
	});
	process.env['SEDAI_PASSPHRASE'] = 'correct horse battery';
	process.env['SEDAI_RECOVERY_KEY'] = 'AAAA-BBBB';
	process.env['SEDAI_TEST_MARKER'] = 'kept';
	const result = await runTool('env', []);
	t.true(result.ok);
	t.regex(result.stdout, /^SEDAI_TEST_MARKER=kept$/m);
	t.regex(result.stdout, /^LC_ALL=C$/m);
	t.notRegex(result.stdout, /SEDAI_PASSPHRASE|SEDAI_RECOVERY_KEY|correct horse/);
});

test.serial('a drill\'s site check does not see the passphrase either', async t => {
	const saved = {...process.env};
	const folder = temporaryDirectory();
	t.teardown(() => {
		process.env = saved;
		removeTree(folder);
	});
	process.env['SEDAI_PASSPHRASE'] = 'correct horse battery';
	const result = await runSiteCheck({name: 'env', command: 'env | grep -c SEDAI_PASSPHRASE; test -n "$SEDAI_RESTORED"', timeoutSeconds: 10}, folder);
	t.false(result.output.includes('correct horse'));
	t.regex(result.output, /^0$/m);
	t.true(result.ok, 'SEDAI_RESTORED still reaches it');
});
