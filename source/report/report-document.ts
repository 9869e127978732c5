import type {DatabaseCheck, DatabasesCheck, DrillReport, ReportLanguage, SiteCheckResult} from './drill-report.js';
import {reportLabels, type ReportLabels} from './report-labels.js';
import {ageText, bytesText, countText, dateTimeText, durationText} from './report-values.js';

/**
 * The report as language-neutral blocks: the Markdown and HTML renderers only lay these out, so
 * both show the same facts. A `code` cell is an identifier or path, shown verbatim.
 */
export type Cell = string | {code: string};

export type Block
	= | {kind: 'fields'; rows: Array<[string, Cell]>}
		| {kind: 'table'; caption?: string; headers: string[]; rows: Cell[][]; numeric?: number[]}
		| {kind: 'list'; items: string[]}
		| {kind: 'pre'; caption?: string; text: string}
		| {kind: 'signatures'; roles: Array<{role: string; name: string}>; signature: string; date: string};

export type Section = {title: string; blocks: Block[]};

export type ReportDocument = {lang: ReportLanguage; title: string; passed: boolean; verdict: string; sections: Section[]};

function okText(ok: boolean, l: ReportLabels): string {
	return ok ? l.passed : l.failed;
}

function summary(report: DrillReport, l: ReportLabels): Section {
	const when = (iso: string) => dateTimeText(iso, report.timeZone);
	return {title: l.summary, blocks: [{kind: 'fields', rows: [
		[l.site, report.site],
		[l.startedAt, when(report.startedAt)],
		[l.finishedAt, when(report.finishedAt)],
		[l.operator, report.operator],
		[l.witness, report.witness],
		[l.note, report.note],
		[l.rto, durationText(report.totalMs)],
		[l.rpo, ageText(report.generation.ageMs, report.language)],
		[l.verdict, okText(report.verdict.passed, l)],
	]}]};
}

function medium(report: DrillReport, l: ReportLabels): Section {
	const {medium: m} = report;
	const smart = l.smartVerdicts[m.smart.verdict] + (m.smart.detail ? ` — ${m.smart.detail}` : '');
	return {title: l.medium, blocks: [{kind: 'fields', rows: [
		[l.label, m.label],
		[l.mediumId, {code: m.id}],
		[l.kind, m.kind],
		[l.offlineSince, m.offlineSince ? dateTimeText(m.offlineSince, report.timeZone) : l.online],
		[l.smart, smart],
	]}]};
}

function generation(report: DrillReport, l: ReportLabels): Section {
	const {generation: g} = report;
	return {title: l.generation, blocks: [{kind: 'fields', rows: [
		[l.generationNumber, String(g.seq)],
		[l.generationId, {code: g.id}],
		[l.generationTime, dateTimeText(g.time, report.timeZone)],
		[l.generationAge, ageText(g.ageMs, report.language)],
	]}]};
}

function verification(report: DrillReport, l: ReportLabels): Section {
	const {chain, verification: v, restored} = report;
	const blocks: Block[] = [{kind: 'fields', rows: [
		[l.chain, okText(chain.ok, l) + (chain.detail ? ` — ${chain.detail}` : '')],
		[l.bytesVerified, `${okText(v.ok, l)} — ${countText(v.filesChecked)} ${l.files}${report.language === 'ja' ? '、' : ', '}${bytesText(v.bytesChecked, report.language)}`],
		[l.filesRestored, countText(restored.files)],
		[l.bytesRestored, bytesText(restored.bytes, report.language)],
		[l.mismatches, v.mismatches.length === 0 ? l.none : countText(v.mismatches.length)],
	]}];
	if (v.mismatches.length > 0) {
		blocks.push({kind: 'table', caption: l.mismatches, headers: [l.file, l.problem], rows: v.mismatches.map(item => [{code: item.path}, item.problem])});
	}

	return {title: l.verification, blocks};
}

function liveComparison(report: DrillReport, l: ReportLabels): Section {
	const c = report.liveComparison;
	const blocks: Block[] = [{kind: 'fields', rows: [
		[l.sampled, countText(c.sampled)],
		[l.identical, countText(c.identical)],
		[l.changed, countText(c.changed)],
		[l.missing, countText(c.missing)],
	]}];
	if (c.samples.length > 0) {
		blocks.push({kind: 'table', caption: l.sampleList, headers: [l.file, l.status], rows: c.samples.map(item => [{code: item.path}, l.liveStatuses[item.status]])});
	}

	return {title: l.liveComparison, blocks};
}

function databaseBlocks(database: DatabaseCheck, l: ReportLabels): Block[] {
	const blocks: Block[] = [
		{kind: 'fields', rows: [
			[l.file, {code: database.file}],
			[l.format, database.format === 'plain' ? l.formatPlain : l.formatCustom],
			[l.database, {code: database.database}],
			[l.result, okText(database.ok, l)],
			[l.duration, durationText(database.durationMs)],
		]},
	];
	if (database.tables.length > 0) {
		blocks.push({kind: 'table', caption: `${l.database} ${database.database}`, headers: [l.schema, l.table, l.rows], numeric: [2], rows: database.tables.map(table => [{code: table.schema}, {code: table.name}, countText(table.rows)])});
	}

	if (database.error) {
		blocks.push({kind: 'pre', caption: l.error, text: database.error});
	}

	return blocks;
}

function databases(check: DatabasesCheck, l: ReportLabels): Block[] {
	const blocks: Block[] = [];
	if (!check.available) {
		blocks.push({kind: 'fields', rows: [[l.databases, l.notChecked]]});
	}

	const note = check.reason === 'postgres-missing' ? l.postgresMissing : (check.reason === 'no-dumps' ? l.noDumps : check.note);
	if (note) {
		blocks.push({kind: 'list', items: [note]});
	}

	return [...blocks, ...check.databases.flatMap(database => databaseBlocks(database, l))];
}

function siteChecks(checks: SiteCheckResult[], l: ReportLabels): Block[] {
	if (checks.length === 0) {
		return [];
	}

	const table: Block = {kind: 'table', caption: l.siteChecks, headers: [l.checkName, l.result, l.exitCode, l.timedOut, l.duration], numeric: [2, 4], rows: checks.map(check => [
		check.name,
		okText(check.ok, l),
		check.exitCode === undefined ? '—' : String(check.exitCode),
		check.timedOut ? l.yes : l.no,
		durationText(check.durationMs),
	])};
	const outputs: Block[] = checks.filter(check => check.output).map(check => ({kind: 'pre', caption: `${l.output}: ${check.name}`, text: check.output}));
	return [table, ...outputs];
}

function applicationChecks(report: DrillReport, l: ReportLabels): Section {
	return {title: l.applicationChecks, blocks: [...databases(report.applicationChecks.databases, l), ...siteChecks(report.applicationChecks.site, l)]};
}

function steps(report: DrillReport, l: ReportLabels): Section {
	const status = {passed: l.passed, failed: l.failed, skipped: l.skipped};
	const rows: Cell[][] = report.steps.map(step => [l.stepNames[step.id], status[step.status], durationText(step.durationMs), step.detail ?? '']);
	rows.push([l.total, okText(report.verdict.passed, l), durationText(report.totalMs), l.rto]);
	return {title: l.steps, blocks: [{kind: 'table', headers: [l.step, l.result, l.duration, l.detail], numeric: [2], rows}]};
}

function verdict(report: DrillReport, l: ReportLabels): Section {
	const reasons = report.verdict.reasons.map(reason => l.reasonTexts[reason.code] + (reason.detail ? `: ${reason.detail}` : ''));
	return {title: l.verdict, blocks: [
		{kind: 'fields', rows: [[l.verdict, okText(report.verdict.passed, l)]]},
		...(reasons.length > 0 ? [{kind: 'list', items: reasons} satisfies Block] : []),
	]};
}

function signOff(report: DrillReport, l: ReportLabels): Section {
	return {title: l.signOff, blocks: [{kind: 'signatures', signature: l.signature, date: l.date, roles: [
		{role: l.operator, name: report.operator},
		{role: l.witness, name: report.witness},
		{role: l.clinicManager, name: ''},
	]}]};
}

export function reportDocument(report: DrillReport, lang: ReportLanguage): ReportDocument {
	const l = reportLabels[lang];
	const localised = {...report, language: lang};
	return {
		lang,
		title: `${l.title} — ${report.site}`,
		passed: report.verdict.passed,
		verdict: okText(report.verdict.passed, l),
		sections: [summary, medium, generation, verification, liveComparison, applicationChecks, steps, verdict, signOff].map(section => section(localised, l)),
	};
}
