import blessed from 'blessed';
import {detectCapabilities} from '../text/capabilities.js';
import {asciiSymbols, unicodeSymbols} from '../text/symbols.js';
import {Dashboard} from './dashboard.js';
import {MonitorSource} from './monitor-source.js';
import {buildMonitorView} from './view-model.js';

/**
 * `sedai monitor`: a blessed screen polled every interval. Keys: q / Esc / Ctrl+C quit, Tab and
 * Shift+Tab move focus, arrows / j k / PgUp PgDn / Home End scroll the focused panel, r re-reads
 * everything and redraws the whole screen (after a garbled SSH link, say).
 */
export async function runMonitor(options: {intervalMs?: number; source?: MonitorSource} = {}): Promise<void> {
	const capabilities = detectCapabilities(process.env, true);
	const symbols = capabilities.unicode ? unicodeSymbols : asciiSymbols;
	const source = options.source ?? new MonitorSource();
	const screen = blessed.screen({
		smartCSR: true,
		fullUnicode: capabilities.unicode,
		autoPadding: true,
		warnings: false,
		title: 'Sedai monitor',
	});
	if (capabilities.unicode) {
		// Draw box lines as UTF-8, as the console does, rather than via the VT100 line-drawing set.
		(screen as unknown as {tput: {brokenACS: boolean}}).tput.brokenACS = true;
	}

	const dashboard = new Dashboard(screen, capabilities, symbols);

	return new Promise<void>((resolve, reject) => {
		// eslint-disable-next-line prefer-const -- assigned once the first frame is drawn
		let timer: NodeJS.Timeout | undefined;
		const stop = (error?: Error) => {
			clearInterval(timer);
			screen.destroy();
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		};

		const tick = (force = false) => {
			try {
				dashboard.show(buildMonitorView(source.read(Date.now(), force), symbols));
			} catch (error) {
				// Leave the terminal usable and say what broke, rather than a frozen screen.
				stop(error instanceof Error ? error : new Error('the dashboard could not be drawn'));
			}
		};

		screen.key(['q', 'escape', 'C-c'], () => {
			stop();
		});
		screen.key(['tab'], () => {
			dashboard.cycleFocus(1);
		});
		screen.key(['S-tab'], () => {
			dashboard.cycleFocus(-1);
		});
		const scrolls: Array<[string[], number]> = [
			[['up', 'k'], -1],
			[['down', 'j'], 1],
			[['pageup'], -10],
			[['pagedown'], 10],
			[['home', 'g'], Number.NEGATIVE_INFINITY],
			[['end', 'S-g'], Number.POSITIVE_INFINITY],
		];
		for (const [keys, lines] of scrolls) {
			screen.key(keys, () => {
				dashboard.scroll(lines);
			});
		}

		screen.key(['r'], () => {
			screen.realloc();
			dashboard.relayout();
			tick(true);
		});
		screen.on('resize', () => {
			dashboard.relayout();
		});

		tick(true);
		timer = setInterval(tick, options.intervalMs ?? 500);
	});
}
