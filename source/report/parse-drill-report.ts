import * as v from 'valibot';
import {SedaiError} from '../core/errors.js';
import type {DrillReport} from './drill-report.js';

/** The DrillReport schema as a validator, for reports read back from the state folder or a medium. */
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const ms = v.pipe(v.number(), v.minValue(0));
const text = v.string();
const optionalText = v.optional(v.string());

const databaseCheck = v.object({
	file: text,
	format: v.picklist(['plain', 'custom']),
	database: text,
	ok: v.boolean(),
	tables: v.array(v.object({schema: text, name: text, rows: count})),
	error: optionalText,
	durationMs: ms,
});

const siteCheck = v.object({name: text, ok: v.boolean(), exitCode: v.optional(v.number()), output: text, durationMs: ms, timedOut: v.boolean()});

export const drillReportSchema: v.GenericSchema<unknown, DrillReport> = v.object({
	version: v.literal(1),
	language: v.picklist(['en', 'ja']),
	site: text,
	startedAt: text,
	finishedAt: text,
	timeZone: optionalText,
	operator: text,
	witness: text,
	note: text,
	medium: v.object({label: text, id: text, kind: text, offlineSince: optionalText, smart: v.object({verdict: v.picklist(['passed', 'failed', 'unknown']), detail: optionalText})}),
	generation: v.object({seq: count, id: text, time: text, ageMs: ms}),
	chain: v.object({ok: v.boolean(), detail: optionalText}),
	verification: v.object({ok: v.boolean(), filesChecked: count, bytesChecked: count, mismatches: v.array(v.object({path: text, problem: text}))}),
	restored: v.object({files: count, bytes: count}),
	liveComparison: v.object({sampled: count, identical: count, changed: count, missing: count, samples: v.array(v.object({path: text, status: v.picklist(['identical', 'changed', 'missing'])}))}),
	applicationChecks: v.object({
		databases: v.object({available: v.boolean(), note: optionalText, reason: v.optional(v.picklist(['postgres-missing', 'no-dumps'])), databases: v.array(databaseCheck)}),
		site: v.array(siteCheck),
	}),
	steps: v.array(v.object({id: v.picklist(['open-medium', 'check-chain', 'restore', 'verify', 'compare-live', 'application-check', 'sign-off']), status: v.picklist(['passed', 'failed', 'skipped']), durationMs: ms, detail: optionalText})),
	totalMs: ms,
	verdict: v.object({passed: v.boolean(), reasons: v.array(v.object({code: v.picklist(['smart-failed', 'chain-broken', 'restore-failed', 'byte-mismatch', 'missing-from-live', 'database-failed', 'site-check-failed', 'cancelled', 'other']), detail: optionalText}))}),
});

/** Read a report written by renderJson; a damaged or foreign file is one sentence naming what is wrong. */
export function parseDrillReport(json: string, source = 'The drill report'): DrillReport {
	let data: unknown;
	try {
		data = JSON.parse(json);
	} catch {
		throw new SedaiError('corrupt', `${source} is not valid JSON: it is damaged or not a Sedai drill report.`);
	}

	const version = (data as {version?: unknown} | undefined)?.version;
	if (typeof version === 'number' && version !== 1) {
		throw new SedaiError('unsupported-format', `${source} has schema version ${version}, which this Sedai cannot read: update Sedai.`);
	}

	const result = v.safeParse(drillReportSchema, data);
	if (!result.success) {
		const issue = result.issues[0];
		const where = issue.path?.map(item => String(item.key)).join('.') ?? '';
		throw new SedaiError('corrupt', `${source} is not a valid drill report (${where ? `${where}: ` : ''}${issue.message}).`);
	}

	return result.output;
}
