import test from 'ava';
import type {DrillReport} from '../../source/report/drill-report.js';
import {reportLabels, type ReportLabels} from '../../source/report/report-labels.js';
import {renderHtml} from '../../source/report/render-html.js';
import {renderJson} from '../../source/report/render-json.js';
import {renderMarkdown} from '../../source/report/render-markdown.js';
import {fixtureReport} from './drill-report-fixture.js';

const report = fixtureReport();

// Values as they appear once formatted (Asia/Tokyo is UTC+9, no daylight saving).
const values = [
	'さくら内科クリニック',
	'2026-12-01 10:00:00 (Asia/Tokyo)',
	'2026-12-01 10:07:41 (Asia/Tokyo)',
	'山田 太郎',
	'佐藤 花子',
	'RDX-B',
	'a1b2c3d4-medium',
	'rdx',
	'2026-11-20 18:30:00 (Asia/Tokyo)',
	'Reallocated sectors 0',
	'42',
	'gen-7f3e9a',
	'2026-12-01 00:00:00 (Asia/Tokyo)',
	'1,234',
	'1,235',
	'987,654,321',
	'987,654,999',
	'ehr/scans/0001.pdf',
	'chunk 3 hash differs',
	'ehr/letters/a.txt',
	'ehr/db/nightly.sql',
	'ehr/old/gone.doc',
	'/scratch/restored/ehr/db/nightly.sql',
	'/scratch/restored/ehr/db/broken.dump',
	'drill_1_nightly_sql',
	'patients',
	'visits',
	'karte',
	'処方',
	'120',
	'450',
	'75',
	'pg_restore: error: could not read from input file: end of file',
	'EHR viewer opens',
	'Image index',
	'viewer ok',
	'still indexing',
	'1 file differs',
	// Step times and the total (RTO).
	'1.1 s',
	'2.2 s',
	'5:33',
	'44.0 s',
	'5.5 s',
	'1:06',
	'9.0 s',
	'7:41',
	'2.3 s',
	'456 ms',
	'1.5 s',
	'30.0 s',
];

const languages = ['en', 'ja'] as const;

function labelTexts(labels: ReportLabels): string[] {
	return Object.values(labels).flatMap(value => (typeof value === 'string' ? [value] : Object.values(value)));
}

for (const lang of languages) {
	const l = reportLabels[lang];
	const rendered = {markdown: renderMarkdown(report, lang), html: renderHtml(report, lang)};
	for (const [kind, text] of Object.entries(rendered)) {
		test(`${kind} in ${lang} holds every value, step time, the verdict and its reasons`, t => {
			const absent = values.filter(value => !text.includes(value));
			t.deepEqual(absent, []);
			t.true(text.includes(l.failed));
			for (const step of Object.values(l.stepNames)) {
				t.true(text.includes(step), step);
			}

			for (const code of ['byte-mismatch', 'database-failed', 'site-check-failed'] as const) {
				t.true(text.includes(l.reasonTexts[code]), code);
			}

			for (const label of [l.operator, l.witness, l.clinicManager, l.signature, l.date, l.rto, l.rpo, l.timedOut]) {
				t.true(text.includes(label), label);
			}
		});
	}

	test(`the age of the generation is the data a recovery would lose (${lang})`, t => {
		t.true(rendered.markdown.includes(lang === 'ja' ? '10時間5分' : '10 h 5 min'));
	});
}

test('the Japanese report has no English label left', t => {
	const ja = new Set(labelTexts(reportLabels.ja));
	// Labels that are the same word in both languages are not leftovers.
	const english = labelTexts(reportLabels.en).filter(label => !ja.has(label));
	for (const text of [renderMarkdown(report, 'ja'), renderHtml(report, 'ja')]) {
		// Whole words only: "no" inside "monospace" is not a label.
		const leftovers = english.filter(label => new RegExp(String.raw`(?<![A-Za-z])${label.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)}(?![A-Za-z])`).test(text));
		t.deepEqual(leftovers, []);
	}
});

test('the HTML page escapes every value and loads nothing from outside', t => {
	const html = renderHtml(report, 'en');
	t.false(html.includes('<script'));
	t.true(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'));
	t.true(html.includes('&#38; &#34;quotes&#34;'));
	t.notRegex(html, /http|src=|@import|url\(/i);
	t.regex(html, /@page\s*{\s*size:\s*A4/);
	t.regex(html, /^<!doctype html>\n<html lang="en">/);
	t.true(renderHtml(report, 'ja').includes('<html lang="ja">'));
});

test('the Markdown keeps a note\'s markup as text', t => {
	const markdown = renderMarkdown(report, 'en');
	t.false(markdown.includes('<script>'));
	t.true(markdown.includes(String.raw`\<script\>alert(1)\</script\>`));
});

test('the HTML has three blank sign-off lines, the operator\'s and witness\'s names printed above theirs', t => {
	const html = renderHtml(report, 'ja');
	const signatures = html.match(/<div class="signature">/g) ?? [];
	t.is(signatures.length, 3);
	t.true(html.includes('<div class="line">山田 太郎</div>'));
	t.true(html.includes('<div class="line">佐藤 花子</div>'));
	t.is((html.match(/<div class="line"><\/div>/g) ?? []).length, 7);
});

test('JSON is the report itself, version 1, and reads back equal', t => {
	const json = renderJson(report);
	const parsed = JSON.parse(json) as DrillReport;
	t.deepEqual(parsed, report);
	t.is(parsed.version, 1);
});

test('a check that could not run says so in the report\'s language', t => {
	const unavailable: DrillReport = {...report, applicationChecks: {databases: {available: false, reason: 'postgres-missing', note: 'PostgreSQL is not installed: apt-get install postgresql.', databases: []}, site: []}};
	const ja = renderMarkdown(unavailable, 'ja');
	t.true(ja.includes(reportLabels.ja.postgresMissing));
	t.true(ja.includes(reportLabels.ja.notChecked));
	t.false(ja.includes('is not installed'));
	t.true(renderHtml(unavailable, 'en').includes(reportLabels.en.postgresMissing));
});
