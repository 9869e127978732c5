// eslint-disable-next-line import-x/no-unassigned-import, import-x/order -- must run before ink is loaded
import './interactive-terminal.js';
import {EventEmitter} from 'node:events';
import test from 'ava';
import {render} from 'ink';
import {Session} from '../../source/app/session.js';
import {App} from '../../source/ui/app.js';
import {inkFrameFlusher} from '../../source/ui/ink-frame-flush.js';
import {makeTheme} from '../../source/ui/theme/theme.js';
import {FakeStdin, stripAnsi} from './render-helper.js';
import {demoFixture} from './demo-fixture.js';

/**
 * Ink holds a frame back while its frame throttle runs (up to 1000/maxFps ms after the one
 * before). Keys must not wait for it: once the dispatcher has applied every key typed, the frame
 * goes out. Here the throttle is one frame a second and two keys arrive together, so the second
 * key's frame always falls inside the window; the frame on screen is read at the moment the
 * dispatcher says the keys are applied: with the flusher it is the new view, without it the old.
 */
let world: Awaited<ReturnType<typeof demoFixture>>;
let shared: Session;

test.before(async () => {
	world = await demoFixture();
	shared = new Session({pollMs: 0});
	await shared.refresh();
});

test.after.always(async () => {
	await shared?.dispose();
	await world?.cleanup();
});

// Ink wants a Node stream-like stdout; each write of a non-debug frame is the whole frame.
// eslint-disable-next-line unicorn/prefer-event-target
class Terminal extends EventEmitter {
	// eslint-disable-next-line @typescript-eslint/class-literal-property-style
	readonly isTTY = true;
	// eslint-disable-next-line @typescript-eslint/class-literal-property-style
	readonly columns = 80;
	// eslint-disable-next-line @typescript-eslint/class-literal-property-style
	readonly rows = 24;
	frames: string[] = [];
	write = (frame: string): boolean => {
		this.frames.push(frame);
		return true;
	};

	last(): string {
		return stripAnsi(this.frames.findLast(frame => frame.includes('│')) ?? '');
	}
}

async function screenWhenKeysApplied(flush: boolean): Promise<string> {
	const stdout = new Terminal();
	const stdin = new FakeStdin();
	const flusher = await inkFrameFlusher(stdout);
	let applied: (frame: string) => void = () => undefined;
	const onSettled = new Promise<string>(resolve => {
		applied = resolve;
	});
	let ready = false;
	const instance = render(<App session={shared} theme={makeTheme({color: false, unicode: true})} liveIntervalMs={60_000} onKeysSettled={() => {
		if (flush) {
			flusher();
		}

		if (ready) {
			applied(stdout.last());
		}
	}}/>, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stderr: new Terminal() as unknown as NodeJS.WriteStream,
		exitOnCtrlC: false,
		patchConsole: false,
		maxFps: 1,
	});
	try {
		// Frames come at most once a second here: wait for the drives, not a fixed time.
		const deadline = Date.now() + 30_000;
		while (!stdout.last().includes('RDX-C')) {
			if (Date.now() > deadline) {
				throw new Error('the console never drew the drives (is Ink writing frames?)');
			}

			await new Promise(resolve => {
				setTimeout(resolve, 20);
			});
		}

		ready = true;
		stdin.write('j5');
		return await onSettled;
	} finally {
		instance.unmount();
		instance.cleanup();
	}
}

test.serial('the frame of the last key typed is drawn as soon as the keys are applied, not when the throttle allows', async t => {
	const frame = await screenWhenKeysApplied(true);
	t.regex(frame, /\[Verify]/);
});

test.serial('without the flusher the same keys leave the old view on screen at that moment (the throttle is real)', async t => {
	const frame = await screenWhenKeysApplied(false);
	t.notRegex(frame, /\[Verify]/);
	t.regex(frame, /\[Drives]/);
});
