/**
 * The little of blessed-contrib 4.11 the monitor uses (the package ships no types): the braille
 * line chart.
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

	const contrib: {
		line(options: LineOptions): LineElement;
	};

	export default contrib;
	export type {LineElement, LineOptions, LineSeries};
}
