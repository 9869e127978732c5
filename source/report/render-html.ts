import type {DrillReport, ReportLanguage} from './drill-report.js';
import {reportDocument, type Block, type Cell} from './report-document.js';

/** Every value goes through here: a note or a file name can hold markup. */
export function escapeHtml(text: string): string {
	return text.replaceAll(/[&<>"']/g, character => `&#${character.codePointAt(0)!};`);
}

// One printable page: A4, no external fonts, images or scripts; state is a word, never colour alone.
const style = `
@page { size: A4; margin: 15mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; font-size: 10pt; line-height: 1.45; color: #111; margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 0.4mm solid #444; page-break-after: avoid; }
.verdict { display: inline-block; font-size: 13pt; font-weight: bold; padding: 1mm 4mm; border: 0.6mm solid currentColor; }
.verdict.passed { color: #14532d; }
.verdict.failed { color: #7f1d1d; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 0.2mm solid #888; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
table.fields th { width: 38%; font-weight: normal; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: "Noto Sans Mono CJK JP", Consolas, monospace; font-size: 9pt; word-break: break-all; }
pre { white-space: pre-wrap; word-break: break-all; border: 0.2mm solid #888; padding: 2mm; font-size: 8.5pt; }
.caption { font-weight: bold; margin: 3mm 0 1mm; }
.signature { display: grid; grid-template-columns: 1fr 2fr 1fr; gap: 4mm; align-items: end; margin: 9mm 0 0; page-break-inside: avoid; }
.signature .line { border-bottom: 0.3mm solid #111; min-height: 8mm; padding: 0 1mm; }
.signature .label { font-size: 8.5pt; color: #333; }
@media print { body { padding: 0; } }
`;

function cell(value: Cell): string {
	return typeof value === 'string' ? escapeHtml(value) : `<code>${escapeHtml(value.code)}</code>`;
}

function caption(text: string | undefined): string {
	return text ? `<div class="caption">${escapeHtml(text)}</div>\n` : '';
}

function block(item: Block): string {
	switch (item.kind) {
		case 'fields': {
			return `<table class="fields">\n${item.rows.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${cell(value)}</td></tr>`).join('\n')}\n</table>`;
		}

		case 'table': {
			const numeric = new Set(item.numeric);
			const head = `<tr>${item.headers.map(header => `<th scope="col">${escapeHtml(header)}</th>`).join('')}</tr>`;
			const rows = item.rows.map(row => `<tr>${row.map((value, index) => `<td${numeric.has(index) ? ' class="number"' : ''}>${cell(value)}</td>`).join('')}</tr>`);
			return `${caption(item.caption)}<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
		}

		case 'list': {
			return `<ul>\n${item.items.map(text => `<li>${escapeHtml(text)}</li>`).join('\n')}\n</ul>`;
		}

		case 'pre': {
			return `${caption(item.caption)}<pre>${escapeHtml(item.text)}</pre>`;
		}

		case 'signatures': {
			return item.roles.map(({role, name}) => `<div class="signature"><div><div class="label">${escapeHtml(role)}</div><div class="line">${escapeHtml(name)}</div></div><div><div class="label">${escapeHtml(item.signature)}</div><div class="line"></div></div><div><div class="label">${escapeHtml(item.date)}</div><div class="line"></div></div></div>`).join('\n');
		}
	}
}

/** The drill report as one self-contained printable HTML page (A4) in the given language. */
export function renderHtml(report: DrillReport, lang: ReportLanguage): string {
	const document = reportDocument(report, lang);
	const sections = document.sections.map(section => `<section>\n<h2>${escapeHtml(section.title)}</h2>\n${section.blocks.map(item => block(item)).join('\n')}\n</section>`);
	return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.title)}</title>
<style>${style}</style>
</head>
<body>
<h1>${escapeHtml(document.title)}</h1>
<p class="verdict ${document.passed ? 'passed' : 'failed'}">${document.passed ? '✔' : '✘'} ${escapeHtml(document.verdict)}</p>
${sections.join('\n')}
</body>
</html>
`;
}
