import type {Symbols} from '../text/symbols.js';
import {wrapText} from '../text/wrap.js';
import {bigText, bigTextWidth} from './big-digits.js';
import {cartridgeHeader, type CartridgeRow} from './cartridge-rows.js';
import type {ChecksView} from './checks.js';
import {fitTable, type Column} from './columns.js';
import {jobLines} from './job-text.js';
import type {PanelName} from './layout.js';
import {clock, type LogLine} from './log-lines.js';
import {cellWidth, fitLine, type Line} from './segments.js';
import type {ThroughputView} from './throughput.js';
import type {MonitorView} from './view-model.js';

/**
 * The text inside each panel for its inner size, as styled lines. Pure: the dashboard turns them
 * into blessed markup, tests read them as text.
 */
export function jobsText(view: MonitorView, width: number, symbols: Symbols): Line[] {
	if (view.jobs.length === 0) {
		return wrapText(view.noJobs, width).map(text => [{text, tone: 'muted'}]);
	}

	return view.jobs.flatMap(row => jobLines(row, width, symbols));
}

const cartridgeColumns: Array<Column<CartridgeRow>> = [
	{title: cartridgeHeader.label, cell: row => ({text: row.label, bold: true}), priority: 9, flex: true, min: 8},
	{title: cartridgeHeader.state, cell: row => ({text: row.state, tone: row.stateTone}), priority: 8, flex: true, min: 9},
	{title: cartridgeHeader.newest, cell: row => ({text: row.newest, tone: row.newestTone}), priority: 7, flex: true, min: 7},
	{title: cartridgeHeader.generations, cell: row => ({text: row.generations}), priority: 6, align: 'right'},
	{title: cartridgeHeader.note, cell: row => ({text: row.note, tone: row.noteTone}), priority: 4, flex: true, min: 7},
];

export function cartridgesText(view: MonitorView, width: number, symbols: Symbols): Line[] {
	if (view.cartridges.length === 0) {
		return wrapText(view.noCartridges, width).map(text => [{text, tone: 'muted'}]);
	}

	const table = fitTable(cartridgeColumns, view.cartridges, width, symbols.ellipsis);
	return [table.header, ...table.rows];
}

/** The checks panel; the RTO in large type when there is room for it, else on one line. */
export function checksText(checks: ChecksView, width: number, height: number, symbols: Symbols, unicode: boolean): Line[] {
	const all = checks.lines.map(({line}) => fitLine(line, width, symbols.ellipsis));
	const brief = checks.lines.filter(({detail}) => !detail).map(({line}) => fitLine(line, width, symbols.ellipsis));
	if (!checks.rto) {
		return (all.length <= height ? all : brief).slice(0, height);
	}

	const tone = checks.rtoOk ? 'ok' : 'bad';
	const caption = 'RTO ';
	if (all.length + 3 <= height && caption.length + bigTextWidth(checks.rto, unicode) <= width) {
		return [
			...all,
			...bigText(checks.rto, unicode).map((row, index): Line => [{text: index === 1 ? caption : ' '.repeat(caption.length), bold: true}, {text: row, tone, bold: true}]),
		];
	}

	const explain = [' (restore time of the last drill)', ' (last drill)', ''].find(text => caption.length + checks.rto!.length + text.length <= width) ?? '';
	const rto = fitLine([{text: caption, bold: true}, {text: checks.rto, tone, bold: true}, {text: explain, tone: 'muted'}], width, symbols.ellipsis);
	return [...(all.length + 1 <= height ? all : brief).slice(0, Math.max(0, height - 1)), rto];
}

const panelTitles: Record<PanelName, string> = {
	jobs: 'Jobs',
	chart: 'Throughput',
	checks: 'Checks',
	cartridges: 'Cartridges',
	log: 'Log',
};

/** A panel's border label; the focused one is marked by a pointer and brackets, not colour alone. */
export function panelLabel(panel: PanelName, focused: boolean, symbols: Symbols, extra = ''): string {
	const title = `${panelTitles[panel]}${extra}`;
	return focused ? ` ${symbols.pointer} [${title}] ` : ` ${title} `;
}

export function footerText(focus: PanelName, width: number, symbols: Symbols, unicode: boolean): Line {
	const keys: Array<[string, string]> = [
		['q', 'quit'],
		['Tab', `next panel (${panelTitles[focus]})`],
		[unicode ? '↑↓ PgUp PgDn' : 'Up Down PgUp PgDn', 'scroll'],
		['r', 'refresh'],
	];
	const line: Line = keys.flatMap(([key, what], index) => [
		...(index > 0 ? [{text: `  ${symbols.dot}  `, tone: 'muted' as const}] : []),
		{text: key, bold: true},
		{text: ` ${what}`},
	]);
	return fitLine(line, width, symbols.ellipsis);
}

export function tooSmallText(columns: number, rows: number, need: {columns: number; rows: number}, unicode: boolean): string[] {
	const times = unicode ? '×' : 'x';
	return [
		`Terminal too small: sedai monitor needs ${need.columns}${times}${need.rows}, this one is ${columns}${times}${rows}.`,
		'Enlarge the window (or the tmux pane), or press q to quit.',
	];
}

/** The chart's border label, as much of it as fits: unit, current rate, peak. */
export function chartLabel(flow: ThroughputView, width: number, symbols: Symbols): string {
	const candidates = [
		` Throughput (${flow.unit}) ${symbols.dot} now ${flow.current} ${symbols.dot} peak ${flow.peak} `,
		` Throughput (${flow.unit}) ${symbols.dot} now ${flow.current} `,
		` ${flow.unit} ${symbols.dot} now ${flow.current} `,
		` ${flow.unit} `,
	];
	return candidates.find(label => cellWidth(label) <= width - 4) ?? '';
}

const logIndent = '           ';

/** Log lines wrapped to the panel: time and glyph first, continuation lines indented under the text. */
export function logRows(lines: LogLine[], width: number): Line[] {
	return lines.flatMap(line => {
		const head = `${clock(line.time)} ${line.glyph} `;
		const rows = wrapText(line.text, Math.max(8, width - head.length));
		return rows.map((text, index): Line => [{text: `${index === 0 ? head : logIndent.slice(0, head.length)}${text}`, tone: line.tone}]);
	});
}
