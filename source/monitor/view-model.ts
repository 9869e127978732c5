import type {JobTrack} from '../settings/job-journal-reader.js';
import type {CartridgeRecord, DrillRecord, VerificationRecord} from '../settings/state.js';
import type {Symbols} from '../text/symbols.js';
import {cartridgeRows, type CartridgeRow} from './cartridge-rows.js';
import {checksView, type ChecksView} from './checks.js';
import {jobRows, type JobRow} from './job-rows.js';
import {clock, logLines, type LogLine} from './log-lines.js';
import type {Line} from './segments.js';
import {throughput, type ThroughputView} from './throughput.js';

/**
 * Everything the dashboard shows, computed from plain data (job journals as read, the local
 * state) without touching the screen: the renderer only lays these out. Pure, so it is tested
 * on constructed journals.
 */
export type MonitorInput = {
	now: number;
	jobs: JobTrack[];
	cartridges: CartridgeRecord[];
	verifications: VerificationRecord[];
	drills: DrillRecord[];
	site?: string;
	/** Why the local state could not be read, if it could not. */
	stateProblem?: string;
};

export type MonitorView = {
	header: Line;
	jobs: JobRow[];
	/** What the jobs panel says when there are none. */
	noJobs: string;
	throughput: ThroughputView;
	log: LogLine[];
	cartridges: CartridgeRow[];
	noCartridges: string;
	checks: ChecksView;
};

export function buildMonitorView(input: MonitorInput, symbols: Symbols, options: {windowMs?: number} = {}): MonitorView {
	const jobs = jobRows(input.jobs, input.now, symbols);
	const running = jobs.filter(job => job.status === 'running').length;
	const interrupted = jobs.filter(job => job.status === 'interrupted').length;
	const failed = jobs.filter(job => job.status === 'failed').length;
	const flow = throughput(input.jobs, input.now, options.windowMs);
	const header: Line = [
		{text: 'Sedai monitor', bold: true},
		...(input.site ? [{text: ` ${symbols.dot} ${input.site}`}] : []),
		{text: ` ${symbols.dot} `},
		running > 0 ? {text: `${symbols.running} ${running} running`, tone: 'accent', bold: true} : {text: 'no job running', tone: 'muted'},
		...(failed > 0 ? [{text: ` ${symbols.dot} `}, {text: `${symbols.bad} ${failed} failed`, tone: 'bad' as const, bold: true}] : []),
		...(interrupted > 0 ? [{text: ` ${symbols.dot} `}, {text: `${symbols.warn} ${interrupted} interrupted`, tone: 'warn' as const}] : []),
		{text: ` ${symbols.dot} ${clock(input.now)}`, tone: 'muted'},
	];
	return {
		header,
		jobs,
		noJobs: 'No Sedai job is running on this machine. Jobs started with `sedai backup`, `verify`, `restore` or `prune` (or from the console) appear here.',
		throughput: flow,
		log: logLines(input.jobs, symbols),
		cartridges: cartridgeRows(input.cartridges, input.jobs, input.now, symbols),
		noCartridges: input.stateProblem ?? 'No cartridge known yet: `sedai drives` or a backup records them.',
		checks: checksView(input.verifications, input.drills, input.now, symbols),
	};
}
