import test from 'ava';
import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {keys, renderAt} from './render-helper.js';
import {demoFixture} from './demo-fixture.js';

/**
 * The Compliance view's Enter leads to what can satisfy the check: for "verified" that is a full
 * verification, so the Verify view opens with Full selected (a structure check never satisfies it).
 */
test('Enter on the failing "verified" check opens the Verify view set to a full verification', async t => {
	const world = await demoFixture();
	const session = new Session({pollMs: 0});
	const ui = renderAt(<App session={session} theme={makeTheme({color: false, unicode: true})} initialView='compliance' liveIntervalMs={20}/>, 100, 30);
	try {
		await session.refresh();
		await ui.waitFor(/checks fail|checks pass/, 20_000);
		t.false(session.snapshot.compliance!.checks.find(check => check.id === 'verified')!.pass, 'the demo world was never fully verified');
		await ui.press('j', 'j', 'j', 'j');
		const selected = await ui.waitFor(/Enter: go to Verify, set to a full verification/);
		t.regex(selected, /› ✗ FAIL\s+Verified/);
		await ui.press(keys.enter);
		const verify = await ui.waitFor(/\[Verify]/);
		t.regex(verify, /\(•\) full/, verify);
		t.notRegex(verify, /\(•\) structure/);
	} finally {
		ui.unmount();
		await session.dispose();
		await world.cleanup();
	}
});
