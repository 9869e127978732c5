import path from 'node:path';
import {readRecords} from '../../core/repository/records.js';
import type {Repository} from '../../core/repository/repository.js';
import type {DrillReport} from '../../report/drill-report.js';
import type {DrillRecord, VerificationRecord} from '../../settings/state.js';

/**
 * The compliance evidence a medium carries itself, so it travels with the cartridge: the
 * verification records every verify seals in verifications/, and the drill reports sealed in
 * drills/ (read through the records API, so an edited report is not believed). Anything torn,
 * unsealed or about another repository says nothing and is left out.
 */
export async function verificationsOn(repository: Repository): Promise<VerificationRecord[]> {
	const records: VerificationRecord[] = [];
	for (const record of await readRecords(repository, 'verifications')) {
		const verification = record.name.endsWith('.json') ? verificationOf(record.data, repository.id) : undefined;
		if (verification) {
			records.push(verification);
		}
	}

	return records;
}

function verificationOf(data: unknown, repositoryId: string): VerificationRecord | undefined {
	if (typeof data !== 'object' || data === null) {
		return undefined;
	}

	const item = data as Record<string, unknown>;
	const {level, time} = item;
	if (item['repositoryId'] !== repositoryId || (level !== 'full' && level !== 'structure' && level !== 'slice') || typeof item['ok'] !== 'boolean' || typeof time !== 'string' || Number.isNaN(Date.parse(time)) || !Array.isArray(item['problems'])) {
		return undefined;
	}

	return {
		repositoryId,
		label: typeof item['label'] === 'string' ? item['label'] : '',
		level,
		ok: item['ok'],
		time,
		durationMs: typeof item['durationMs'] === 'number' ? item['durationMs'] : 0,
		problems: typeof item['problemCount'] === 'number' ? item['problemCount'] : item['problems'].length,
		bytesRead: typeof item['bytesRead'] === 'number' ? item['bytesRead'] : 0,
		...(typeof item['covered'] === 'number' ? {covered: item['covered']} : {}),
	};
}

/** The drills whose reports are sealed on this medium, as drill records. */
export async function drillsOn(repository: Repository): Promise<DrillRecord[]> {
	const records: DrillRecord[] = [];
	for (const record of await readRecords(repository, 'drills')) {
		const drill = record.data === undefined ? undefined : drillOf(record.data as DrillReport, repository.id);
		if (drill) {
			records.push({...drill, report: path.join(repository.root, 'drills', record.name)});
		}
	}

	return records;
}

function drillOf(report: DrillReport, repositoryId: string): DrillRecord | undefined {
	if (report?.version !== 1 || report.medium?.id !== repositoryId || typeof report.verdict?.passed !== 'boolean' || typeof report.finishedAt !== 'string' || Number.isNaN(Date.parse(report.finishedAt))) {
		return undefined;
	}

	const step = (id: string) => report.steps?.find(item => item.id === id)?.durationMs ?? 0;
	return {
		repositoryId,
		label: report.medium.label,
		generation: report.generation.id,
		generationTime: report.generation.time,
		time: report.finishedAt,
		ok: report.verdict.passed,
		files: report.restored?.files ?? 0,
		bytes: report.restored?.bytes ?? 0,
		restoreMs: step('restore'),
		verifyMs: step('verify'),
		into: '',
		mismatches: report.verification?.mismatches?.length ?? 0,
		kind: 'drill',
		rtoMs: report.totalMs,
	};
}
