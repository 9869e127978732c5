import fs from 'node:fs/promises';
import path from 'node:path';
import {writeRecord} from '../../../core/repository/records.js';
import type {Repository} from '../../../core/repository/repository.js';
import {renderHtml} from '../../../report/render-html.js';
import {renderJson} from '../../../report/render-json.js';
import {renderMarkdown} from '../../../report/render-markdown.js';
import type {DrillReport} from '../../../report/drill-report.js';
import {sedaiHome} from '../../../settings/store.js';

/**
 * Where a drill's report is kept: Markdown, printable HTML and JSON in the local drills folder
 * (and a folder the technician names), and the JSON sealed on the medium itself, so the
 * evidence travels with the cartridge and an edited copy is caught by `sedai verify`.
 */
export type ReportFiles = {markdown: string; html: string; json: string; onMedium?: string; copies: string[]};

/** The name a report's files share, here and on the medium: its start time and medium label. */
export function baseName(report: DrillReport): string {
	return `${report.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}-${report.medium.label.replaceAll(/[^\w.-]+/g, '_')}`;
}

export function localDrillFolder(): string {
	return path.join(sedaiHome(), 'drills');
}

async function writeSet(folder: string, base: string, report: DrillReport): Promise<{markdown: string; html: string; json: string}> {
	await fs.mkdir(folder, {recursive: true, mode: 0o700});
	const files = {markdown: path.join(folder, `${base}.md`), html: path.join(folder, `${base}.html`), json: path.join(folder, `${base}.json`)};
	await fs.writeFile(files.markdown, renderMarkdown(report, report.language), {mode: 0o600});
	await fs.writeFile(files.html, renderHtml(report, report.language), {mode: 0o600});
	await fs.writeFile(files.json, renderJson(report), {mode: 0o600});
	return files;
}

export async function keepReport(report: DrillReport, repository: Repository, reportDirectory?: string, onWarning?: (message: string) => void): Promise<ReportFiles> {
	const base = baseName(report);
	const local = await writeSet(localDrillFolder(), base, report);
	const copies: string[] = [];
	if (reportDirectory) {
		const copy = await writeSet(reportDirectory, base, report);
		copies.push(copy.markdown, copy.html, copy.json);
	}

	let onMedium: string | undefined;
	try {
		onMedium = await writeRecord(repository, 'drills', `${base}.json`, report);
	} catch (error) {
		// A write-protected cartridge keeps no copy; the local one stands.
		onWarning?.(`The report could not be kept on "${repository.label}" (${error instanceof Error ? error.message : String(error)}): it is kept on this machine only.`);
	}

	return {...local, ...(onMedium ? {onMedium} : {}), copies};
}

/**
 * The report's Markdown, HTML and JSON on this machine, written from the report itself when only
 * the medium kept it (a report from another console): the technician can print it from here.
 */
export async function localCopy(report: DrillReport): Promise<{markdown: string; html: string; json: string}> {
	const folder = localDrillFolder();
	const base = baseName(report);
	const files = {markdown: path.join(folder, `${base}.md`), html: path.join(folder, `${base}.html`), json: path.join(folder, `${base}.json`)};
	const present = await Promise.all(Object.values(files).map(async file => fs.access(file).then(() => true, () => false)));
	return present.every(Boolean) ? files : writeSet(folder, base, report);
}
