import test from 'ava';
import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {renderAt} from './render-helper.js';

test('dbg', async t => {
	process.env['SEDAI_DEMO_DIR'] = '/tmp/sedai-demo-t1';
	process.env['SEDAI_HOME'] = '/tmp/sedai-demo-t1/home';
	const session = new Session({pollMs: 0});
	const ui = renderAt(<App session={session} theme={makeTheme({color: false, unicode: true})} liveIntervalMs={20}/>, 80, 24);
	await ui.waitFor('RDX-C');
	console.log('frames', ui.frames.length);
	await ui.press('3');
	console.log('pressed');
	setTimeout(() => console.log('tick'), 100);
	await new Promise(r => setTimeout(r, 500));
	console.log(ui.lastFrame());
	t.pass();
	ui.unmount();
});
