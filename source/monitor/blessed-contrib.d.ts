/**
 * The little of blessed-contrib 4.11 the monitor uses (the package ships no types): the braille
 * line chart and the scrolling log list.
 */
declare module 'blessed-contrib' {
	import type {Widgets} from 'blessed';

	type LineSeries = {title: string; x: string[]; y: number[]; style?: {line?: string}};

	type LineOptions = Widgets.BoxOptions & {
		style?: Widgets.BoxOptions['style'] & {line?: string; text?: string; baseline?: string};
		xLabelPadding?: number;
		xPadding?: number;
		numYLabels?: number;
		showNthLabel?: number;
		showLegend?: boolean;
		wholeNumbersOnly?: boolean;
		minY?: number;
		maxY?: number;
		abbreviate?: boolean;
	};

	type LineElement = Widgets.BoxElement & {
		options: LineOptions;
		setData(data: LineSeries[]): void;
	};

	type LogOptions = Widgets.ListOptions<Widgets.ListElementStyle> & {bufferLength?: number};

	type LogElement = Widgets.ListElement & {
		logLines: string[];
		log(line: string): void;
	};

	const contrib: {
		line(options: LineOptions): LineElement;
		log(options: LogOptions): LogElement;
	};

	export default contrib;
	export type {LineElement, LineOptions, LineSeries, LogElement, LogOptions};
}
