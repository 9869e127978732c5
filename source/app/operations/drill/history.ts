import fs from 'node:fs/promises';
import path from 'node:path';
import {readRecords} from '../../../core/repository/records.js';
import type {DrillReport} from '../../../report/drill-report.js';
import {parseDrillReport} from '../../../report/parse-drill-report.js';
import type {DrillRecord} from '../../../settings/state.js';
import type {OperationContext} from '../context.js';
import type {Medium} from '../locate.js';
import {localDrillFolder} from './report-files.js';

/**
 * Every drill this site can show, newest first: the reports kept in the local drills folder and
 * sealed on the connected media (the same drill in both places is one entry), and the plain
 * test restores this machine recorded. Each says where its report is and whether the folder it
 * restored into is still there (a drill deletes it unless kept).
 */
export type DrillEntry = {
	/** The medium's repository id and the start time: the same drill here and on the medium. */
	id: string;
	kind: 'drill' | 'test-restore';
	time: string;
	label: string;
	repositoryId: string;
	generation: {seq?: number; id: string; time: string};
	passed: boolean;
	/** The whole drill (every step); a test restore has only its restore time. */
	rtoMs: number;
	restoreMs?: number;
	verifyMs?: number;
	files: number;
	bytes: number;
	mismatches: number;
	report?: DrillReport;
	/** The report's files on this machine, and its sealed record on a medium. */
	reportFiles: {markdown?: string; html?: string; json?: string; onMedium?: string};
	/** The scratch folder it restored into (when this machine ran it). */
	into?: string;
	/** That folder is still there: kept with --keep, a plain test restore, or left by a killed run. */
	intoPresent: boolean;
};

export type DrillHistory = {
	entries: DrillEntry[];
	/** Reports that could not be read (damaged, edited, unreadable medium), as sentences. */
	problems: string[];
};

export function drillId(report: Pick<DrillReport, 'medium' | 'startedAt'>): string {
	return `${report.medium.id}@${report.startedAt}`;
}

async function exists(file: string): Promise<boolean> {
	return fs.access(file).then(() => true, () => false);
}

type Found = {report: DrillReport; files: DrillEntry['reportFiles']};

async function localReports(problems: string[]): Promise<Found[]> {
	const folder = localDrillFolder();
	const names = await fs.readdir(folder).catch(() => [] as string[]);
	const found: Found[] = [];
	for (const name of names.filter(item => item.endsWith('.json')).sort()) {
		const json = path.join(folder, name);
		try {
			const report = parseDrillReport(await fs.readFile(json, 'utf8'), `The drill report ${json}`);
			const base = json.slice(0, -'.json'.length);
			const markdown = `${base}.md`;
			const html = `${base}.html`;
			found.push({report, files: {json, ...(await exists(markdown) ? {markdown} : {}), ...(await exists(html) ? {html} : {})}});
		} catch (error) {
			problems.push(error instanceof Error ? error.message : String(error));
		}
	}

	return found;
}

async function mediumReports(context: OperationContext, medium: Medium, problems: string[]): Promise<Found[]> {
	// Listing never asks for a passphrase: a medium that would ask shows its reports once opened.
	if (await context.media.wouldAsk(medium.root).catch(() => true)) {
		return [];
	}

	try {
		const repository = await context.media.openAt(medium.root, medium.repositoryId);
		const found: Found[] = [];
		for (const record of await readRecords(repository, 'drills')) {
			const where = path.join(repository.root, 'drills', record.name);
			if (record.damaged) {
				problems.push(`The drill report ${where} on "${medium.label}" ${record.damaged}.`);
				continue;
			}

			try {
				found.push({report: parseDrillReport(JSON.stringify(record.data), `The drill report ${where}`), files: {onMedium: where}});
			} catch (error) {
				problems.push(error instanceof Error ? error.message : String(error));
			}
		}

		return found;
	} catch (error) {
		problems.push(`The drill reports on "${medium.label}" could not be read: ${error instanceof Error ? error.message : String(error)}`);
		return [];
	}
}

function fromReport({report, files}: Found, record: DrillRecord | undefined): Omit<DrillEntry, 'intoPresent'> {
	return {
		id: drillId(report),
		kind: 'drill',
		time: report.startedAt,
		label: report.medium.label,
		repositoryId: report.medium.id,
		generation: {seq: report.generation.seq, id: report.generation.id, time: report.generation.time},
		passed: report.verdict.passed,
		rtoMs: report.totalMs,
		...(record ? {restoreMs: record.restoreMs, verifyMs: record.verifyMs} : {}),
		files: report.restored.files,
		bytes: report.restored.bytes,
		mismatches: report.verification.mismatches.length,
		report,
		reportFiles: files,
		...(record ? {into: record.into} : {}),
	};
}

function fromTestRestore(record: DrillRecord): Omit<DrillEntry, 'intoPresent'> {
	return {
		id: `${record.repositoryId}@${record.time}`,
		kind: 'test-restore',
		time: record.time,
		label: record.label,
		repositoryId: record.repositoryId,
		generation: {id: record.generation, time: record.generationTime},
		passed: record.ok,
		rtoMs: record.rtoMs ?? record.restoreMs,
		restoreMs: record.restoreMs,
		verifyMs: record.verifyMs,
		files: record.files,
		bytes: record.bytes,
		mismatches: record.mismatches,
		reportFiles: {},
		into: record.into,
	};
}

/** The drill history over the local folder, the given (connected) media and the local records. */
export async function drillHistory(context: OperationContext, media: Medium[]): Promise<DrillHistory> {
	const problems: string[] = [];
	const byId = new Map<string, Found>();
	for (const found of await localReports(problems)) {
		byId.set(drillId(found.report), found);
	}

	for (const medium of media) {
		for (const found of await mediumReports(context, medium, problems)) {
			const id = drillId(found.report);
			const known = byId.get(id);
			byId.set(id, known ? {report: known.report, files: {...known.files, ...found.files}} : found);
		}
	}

	const records = context.state.drills();
	const recordOf = (found: Found) => records.find(record => record.kind === 'drill' && record.report !== undefined && record.report === found.files.json);
	const entries: Array<Omit<DrillEntry, 'intoPresent'>> = [
		...[...byId.values()].map(found => fromReport(found, recordOf(found))),
		...records.filter(record => record.kind !== 'drill').map(record => fromTestRestore(record)),
	];
	const withFolders = await Promise.all(entries.map(async entry => ({...entry, intoPresent: entry.into ? await exists(entry.into) : false})));
	return {entries: withFolders.sort((a, b) => b.time.localeCompare(a.time)), problems};
}
