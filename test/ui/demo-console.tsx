import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {renderAt, type Rendered} from './render-helper.js';
import {demoFixture} from './demo-fixture.js';

/**
 * The console at 80×24 (no colour, Unicode) over a real demo world, once its drives are on
 * screen and the session has looked at every medium: what the job and action tests start from.
 */
export type DemoConsole = {world: Awaited<ReturnType<typeof demoFixture>>; session: Session; ui: Rendered; close: () => Promise<void>};

export async function openDemoConsole(): Promise<DemoConsole> {
	const world = await demoFixture();
	const session = new Session({pollMs: 0});
	const ui = renderAt(<App session={session} theme={makeTheme({color: false, unicode: true})} liveIntervalMs={20}/>);
	// Keys sent before the app's input hooks mount are lost: wait for the drives to show.
	await ui.waitFor('RDX-C');
	await session.refresh();
	return {world, session, ui, async close() {
		ui.unmount();
		await session.dispose();
		await world.cleanup();
	}};
}
