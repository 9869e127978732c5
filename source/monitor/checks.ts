import type {DrillRecord, VerificationRecord} from '../settings/state.js';
import {formatAge, formatBytes, formatCount, formatDuration, formatTime} from '../text/format.js';
import {renderMessage, type Language} from '../text/messages/render.js';
import type {Symbols} from '../text/symbols.js';
import {clockDuration} from './big-digits.js';
import type {Line} from './segments.js';

/**
 * The last full verification and the last restore drill, from the local state: the two records a
 * guideline review asks for. The drill's RTO (restore time) also comes as a clock for large type.
 * Words come from the message catalog in the monitor's language.
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

export function checksView(verifications: VerificationRecord[], drills: DrillRecord[], now: number, symbols: Symbols, language: Language = 'en'): ChecksView {
	const say = (code: string, params?: Record<string, string | number>) => renderMessage({code: `monitor.checks.${code}`, ...(params ? {params} : {})}, language);
	const none = [{line: [{text: `${symbols.warn} ${say('none')}`, tone: 'warn' as const, bold: true}]}];
	const lines: ChecksView['lines'] = [];
	const verification = newest(verifications.filter(record => record.level === 'full'));
	lines.push({line: [{text: say('verification'), bold: true}]});
	if (verification) {
		lines.push(
			{line: [
				verification.ok ? {text: `${symbols.ok} ${say('ok')}`, tone: 'ok', bold: true} : {text: `${symbols.bad} ${say('damage', {problems: verification.problems})}`, tone: 'bad', bold: true},
				{text: `  ${verification.label}  ${formatAge(now - Date.parse(verification.time))}`},
			]},
			{line: [{text: `  ${say('verifyDetail', {time: formatTime(verification.time), bytes: formatBytes(verification.bytesRead), duration: formatDuration(verification.durationMs)})}`, tone: 'muted'}], detail: true},
		);
	} else {
		lines.push(...none, {line: [{text: `  ${say('verifyHint')}`, tone: 'muted'}], detail: true});
	}

	const drill = newest(drills);
	lines.push({line: [{text: say('drill'), bold: true}]});
	if (drill) {
		const times = {files: formatCount(drill.files), restore: formatDuration(drill.restoreMs), verify: formatDuration(drill.verifyMs)};
		lines.push(
			{line: [
				drill.ok ? {text: `${symbols.ok} ${say('ok')}`, tone: 'ok', bold: true} : {text: `${symbols.bad} ${say('mismatches', {count: drill.mismatches})}`, tone: 'bad', bold: true},
				{text: `  ${drill.label}  ${formatAge(now - Date.parse(drill.time))}`},
			]},
			{line: [{text: `  ${say(drill.ok ? 'drillMatched' : 'drillRestored', times)}`, tone: 'muted'}], detail: true},
			{line: [{text: `  ${say('drillWhen', {time: formatTime(drill.time), generation: drill.generation.slice(0, 8)})}`, tone: 'muted'}], detail: true},
		);
	} else {
		lines.push(...none, {line: [{text: `  ${say('drillHint')}`, tone: 'muted'}], detail: true});
	}

	return {lines, rto: drill ? clockDuration(drill.restoreMs) : undefined, rtoOk: drill?.ok ?? false};
}
