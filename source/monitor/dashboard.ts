import blessed, {type Widgets} from 'blessed';
import contrib, {type LineElement} from 'blessed-contrib';
import type {Capabilities} from '../text/capabilities.js';
import type {Symbols} from '../text/symbols.js';
import {focusOrder, layoutFor, type Layout, type PanelName, type Rect} from './layout.js';
import {cartridgesText, chartLabel, checksText, footerText, jobsText, logRows, panelLabel, tooSmallText} from './panel-text.js';
import {fitLine, toMarkup, type Line} from './segments.js';
import {textChart} from './text-chart.js';
import type {MonitorView} from './view-model.js';

/**
 * The blessed screen: panels placed by the layout, filled from a MonitorView. It only draws;
 * what to show is decided in view-model.ts and panel-text.ts. The throughput chart is
 * blessed-contrib's braille line chart where there is room and UTF-8, block or ASCII columns
 * otherwise. The log is a plain scrollable box (blessed-contrib's log list jumps to the top
 * whenever its items are replaced, and the log is rewrapped on every resize).
 */
type Chart = {kind: 'line'; element: LineElement} | {kind: 'text'; element: Widgets.BoxElement};

export class Dashboard {
	private focus: PanelName = 'jobs';
	private layout: Layout;
	private view: MonitorView | undefined;
	private readonly header: Widgets.BoxElement;
	private readonly footer: Widgets.BoxElement;
	private readonly tooSmall: Widgets.BoxElement;
	private readonly boxes: Record<'jobs' | 'checks' | 'cartridges', Widgets.BoxElement>;
	private readonly log: Widgets.BoxElement;
	private chart: Chart | undefined;
	private followLog = true;
	private readonly contents = new WeakMap<Widgets.BoxElement, string>();

	constructor(private readonly screen: Widgets.Screen, private readonly capabilities: Capabilities, private readonly symbols: Symbols) {
		this.layout = layoutFor(screen.width as number, screen.height as number);
		this.header = blessed.box({parent: screen, tags: true, style: {inverse: true}});
		this.footer = blessed.box({parent: screen, tags: true});
		this.boxes = {
			jobs: this.panel('jobs'),
			checks: this.panel('checks'),
			cartridges: this.panel('cartridges'),
		};
		this.log = this.panel('log');
		this.tooSmall = blessed.box({parent: screen, tags: false, top: 0, left: 0, width: '100%', height: '100%', hidden: true});
		this.place();
	}

	/** Show new data; only panels whose text changed are touched. */
	show(view: MonitorView): void {
		this.view = view;
		if (this.layout.kind === 'too-small') {
			this.screen.render();
			return;
		}

		const {panels} = this.layout;
		const inner = (rect: Rect) => ({width: Math.max(1, rect.width - 2), height: Math.max(1, rect.height - 2)});
		this.setText(this.header, [[{text: ' '}, ...fitLine(view.header, this.layout.header.width - 1, this.symbols.ellipsis)]]);
		this.setText(this.footer, [[{text: ' '}, ...footerText(this.focus, this.layout.footer.width - 1, this.symbols, this.capabilities.unicode)]]);
		this.setText(this.boxes.jobs, jobsText(view, inner(panels.jobs).width, this.symbols));
		this.setText(this.boxes.cartridges, cartridgesText(view, inner(panels.cartridges).width, this.symbols));
		const checks = inner(panels.checks);
		this.setText(this.boxes.checks, checksText(view.checks, checks.width, checks.height, this.symbols, this.capabilities.unicode));
		this.drawChart(view);
		this.fillLog(view);
		this.screen.render();
	}

	/** The terminal changed size: place everything anew (the chart is rebuilt for its canvas). */
	relayout(): void {
		this.layout = layoutFor(this.screen.width as number, this.screen.height as number);
		// Rewrapped lines move under a kept scroll position: show the end again.
		this.followLog = true;
		this.place();
		if (this.view) {
			this.show(this.view);
		}
	}

	cycleFocus(step: 1 | -1): void {
		const index = focusOrder.indexOf(this.focus);
		this.focus = focusOrder[(index + step + focusOrder.length) % focusOrder.length]!;
		this.labelPanels();
		if (this.view) {
			this.show(this.view);
		}
	}

	/** Scroll the focused panel; ±Infinity goes to an end (at the end the log follows new lines again). */
	scroll(lines: number): void {
		const element = this.focus === 'log' ? this.log : this.boxes[this.focus as 'jobs' | 'cartridges'];
		if (Number.isFinite(lines)) {
			element.scroll(lines);
		} else {
			element.setScrollPerc(lines > 0 ? 100 : 0);
		}

		if (this.focus === 'log') {
			this.followLog = element.getScrollPerc() >= 100 || element.getScrollHeight() <= (element.height as number) - 2;
			this.labelPanels();
		}

		this.screen.render();
	}

	private panel(name: 'jobs' | 'checks' | 'cartridges' | 'log'): Widgets.BoxElement {
		return blessed.box({
			parent: this.screen,
			tags: true,
			wrap: false,
			scrollable: true,
			alwaysScroll: true,
			border: {type: 'line'},
			label: panelLabel(name, name === this.focus, this.symbols),
			style: {border: this.borderStyle(name === this.focus)},
		});
	}

	private borderStyle(focused: boolean): Record<string, unknown> {
		if (!this.capabilities.color) {
			return focused ? {bold: true} : {};
		}

		return focused ? {fg: 'cyan', bold: true} : {fg: 'gray'};
	}

	private labelPanels(): void {
		for (const name of ['jobs', 'checks', 'cartridges'] as const) {
			this.boxes[name].setLabel(panelLabel(name, name === this.focus, this.symbols));
			(this.boxes[name].style as {border?: unknown}).border = this.borderStyle(name === this.focus);
		}

		this.log.setLabel(panelLabel('log', this.focus === 'log', this.symbols, this.followLog ? '' : ' (paused: End follows)'));
		(this.log.style as {border?: unknown}).border = this.borderStyle(this.focus === 'log');
	}

	private place(): void {
		const small = this.layout.kind === 'too-small';
		const elements: Widgets.BoxElement[] = [this.header, this.footer, this.log, ...Object.values(this.boxes)];
		for (const element of elements) {
			element[small ? 'hide' : 'show']();
		}

		this.chart?.element.destroy();
		this.chart = undefined;
		if (this.layout.kind === 'too-small') {
			this.tooSmall.setContent(tooSmallText(this.screen.width as number, this.screen.height as number, this.layout.need, this.capabilities.unicode).join('\n'));
			this.tooSmall.show();
			return;
		}

		this.tooSmall.hide();
		const {panels, header, footer} = this.layout;
		const at = (element: Widgets.BoxElement, rect: Rect) => {
			element.top = rect.top;
			element.left = rect.left;
			element.width = rect.width;
			element.height = rect.height;
		};

		at(this.header, header);
		at(this.footer, footer);
		at(this.boxes.jobs, panels.jobs);
		at(this.boxes.checks, panels.checks);
		at(this.boxes.cartridges, panels.cartridges);
		at(this.log, panels.log);
		this.chart = this.makeChart(panels.chart);
		this.labelPanels();
	}

	/** Blessed-contrib's canvas is sized once, on attach: a new size needs a new chart. */
	private makeChart(rect: Rect): Chart {
		const common = {top: rect.top, left: rect.left, width: rect.width, height: rect.height, border: {type: 'line' as const}, tags: true, label: panelLabel('chart', false, this.symbols)};
		if (this.capabilities.unicode && rect.height >= 12 && rect.width >= 40) {
			const plain = this.capabilities.color ? undefined : 'normal';
			const element = contrib.line({
				...common,
				style: {line: plain ?? 'cyan', text: plain ?? 'white', baseline: plain ?? 'white', border: this.borderStyle(false)},
				xLabelPadding: 3,
				xPadding: 5,
				numYLabels: 4,
				showLegend: false,
				minY: 0,
			});
			this.screen.append(element);
			return {kind: 'line', element};
		}

		const element = blessed.box({...common, wrap: false, style: {border: this.borderStyle(false)}});
		this.screen.append(element);
		return {kind: 'text', element};
	}

	private drawChart(view: MonitorView): void {
		if (!this.chart) {
			return;
		}

		const flow = view.throughput;
		this.chart.element.setLabel(chartLabel(flow, this.chart.element.width as number, this.symbols));
		if (this.chart.kind === 'line') {
			const chart = this.chart.element;
			// An all-zero series has no scale: give the axis one.
			chart.options.maxY = Math.max(...flow.values) > 0 ? undefined : 1;
			chart.options.showNthLabel = flow.labelEvery;
			chart.setData([{title: 'all jobs', x: flow.labels, y: flow.values}]);
			return;
		}

		const width = (this.chart.element.width as number) - 2;
		const height = (this.chart.element.height as number) - 2;
		const rows = textChart(flow.values, flow.labels, width, height, this.capabilities.unicode);
		this.setText(this.chart.element, rows.map(text => [{text, tone: 'accent'}]));
	}

	/** The log is rebuilt from the view (wrapped to the current width); it follows the end unless scrolled back. */
	private fillLog(view: MonitorView): void {
		const width = Math.max(1, (this.log.width as number) - 2);
		this.setText(this.log, logRows(view.log, width));
		if (this.followLog) {
			// From the top: blessed keeps a scroll offset from the old wrapping otherwise.
			this.log.resetScroll();
			this.log.setScrollPerc(100);
		}
	}

	private setText(element: Widgets.BoxElement, lines: Line[]): void {
		const content = lines.map(line => toMarkup(line, this.capabilities.color)).join('\n');
		if (this.contents.get(element) !== content) {
			this.contents.set(element, content);
			element.setContent(content);
		}
	}
}
