import type {DrillRecord, VerificationRecord} from '../settings/state.js';
import {formatAge, formatBytes, formatCount, formatDuration, formatTime} from '../text/format.js';
import type {Symbols} from '../text/symbols.js';
import {clockDuration} from './big-digits.js';
import type {Line} from './segments.js';

/**
 * The last full verification and the last restore drill, from the local state: the two records a
 * guideline review asks for. The drill's RTO (restore time) also comes as a clock for large type.
 */
export type ChecksView = {
	/** Detail lines may be left out when the panel is short. */
	lines: Array<{line: Line; detail?: boolean}>;
	/** The last drill's restore time as a clock ("3:21"), when there was a drill. */
	rto: string | undefined;
	rtoOk: boolean;
};

function newest<T extends {time: string}>(records: T[]): T | undefined {
	return records.reduce<T | undefined>((best, record) => (!best || record.time > best.time ? record : best), undefined);
}

export function checksView(verifications: VerificationRecord[], drills: DrillRecord[], now: number, symbols: Symbols): ChecksView {
	const lines: ChecksView['lines'] = [];
	const verification = newest(verifications.filter(record => record.level === 'full'));
	lines.push({line: [{text: 'Last full verification', bold: true}]});
	if (verification) {
		lines.push(
			{line: [
				verification.ok ? {text: `${symbols.ok} OK`, tone: 'ok', bold: true} : {text: `${symbols.bad} DAMAGE (${verification.problems})`, tone: 'bad', bold: true},
				{text: `  ${verification.label}  ${formatAge(now - Date.parse(verification.time))}`},
			]},
			{line: [{text: `  ${formatTime(verification.time)}, ${formatBytes(verification.bytesRead)} re-read in ${formatDuration(verification.durationMs)}`, tone: 'muted'}], detail: true},
		);
	} else {
		lines.push({line: [{text: `${symbols.warn} none recorded`, tone: 'warn', bold: true}]}, {line: [{text: '  run: sedai verify --full', tone: 'muted'}], detail: true});
	}

	const drill = newest(drills);
	lines.push({line: [{text: 'Last restore drill', bold: true}]});
	if (drill) {
		lines.push(
			{line: [
				drill.ok ? {text: `${symbols.ok} OK`, tone: 'ok', bold: true} : {text: `${symbols.bad} ${drill.mismatches} MISMATCH(ES)`, tone: 'bad', bold: true},
				{text: `  ${drill.label}  ${formatAge(now - Date.parse(drill.time))}`},
			]},
			{line: [{text: `  ${drill.ok ? `all ${formatCount(drill.files)} files match` : `${formatCount(drill.files)} files restored`}; restore ${formatDuration(drill.restoreMs)} + verify ${formatDuration(drill.verifyMs)}`, tone: 'muted'}], detail: true},
			{line: [{text: `  ${formatTime(drill.time)}, generation ${drill.generation.slice(0, 8)}`, tone: 'muted'}], detail: true},
		);
	} else {
		lines.push({line: [{text: `${symbols.warn} none recorded`, tone: 'warn', bold: true}]}, {line: [{text: '  run: sedai restore latest --into DIR', tone: 'muted'}], detail: true});
	}

	return {lines, rto: drill ? clockDuration(drill.restoreMs) : undefined, rtoOk: drill?.ok ?? false};
}
