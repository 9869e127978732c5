import type {DrillReport, ReportLanguage} from './drill-report.js';
import {reportDocument, type Block, type Cell} from './report-document.js';

// Backslash-escape what Markdown would read as markup or raw HTML, so free text stays text.
function escapeText(text: string): string {
	return text.replaceAll(/[\\`*_[\]<>|#&]/g, character => `\\${character}`).replaceAll(/\r?\n/g, ' ');
}

function codeSpan(text: string): string {
	const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map(match => match[0].length));
	const fence = '`'.repeat(longest + 1);
	const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
	return `${fence}${padded.replaceAll(/\r?\n/g, ' ')}${fence}`;
}

function cell(value: Cell): string {
	if (typeof value === 'string') {
		return value === '' ? ' ' : escapeText(value);
	}

	// A pipe ends a table cell even inside a code span in GitHub's Markdown.
	return codeSpan(value.code).replaceAll('|', String.raw`\|`);
}

function fenced(text: string): string {
	const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(match => match[0].length));
	const fence = '`'.repeat(longest + 1);
	return `${fence}text\n${text}\n${fence}`;
}

function block(item: Block): string {
	switch (item.kind) {
		case 'fields': {
			return item.rows.map(([label, value]) => `- **${escapeText(label)}:** ${cell(value)}`).join('\n');
		}

		case 'table': {
			const numeric = new Set(item.numeric);
			const head = `| ${item.headers.map(header => escapeText(header)).join(' | ')} |`;
			const rule = `|${item.headers.map((_, index) => (numeric.has(index) ? '---:' : '---')).join('|')}|`;
			const rows = item.rows.map(row => `| ${row.map(value => cell(value)).join(' | ')} |`);
			return [...(item.caption ? [`**${escapeText(item.caption)}**`, ''] : []), head, rule, ...rows].join('\n');
		}

		case 'list': {
			return item.items.map(text => `- ${escapeText(text)}`).join('\n');
		}

		case 'pre': {
			return [...(item.caption ? [`**${escapeText(item.caption)}**`, ''] : []), fenced(item.text)].join('\n');
		}

		case 'signatures': {
			return item.roles.map(({role, name}) => `**${escapeText(role)}:** ${name ? escapeText(name) : ''}\n\n${escapeText(item.signature)}: ______________________________   ${escapeText(item.date)}: ____________`).join('\n\n');
		}
	}
}

/** The drill report as Markdown in the given language (for the note, the terminal, an email). */
export function renderMarkdown(report: DrillReport, lang: ReportLanguage): string {
	const document = reportDocument(report, lang);
	const parts = [`# ${escapeText(document.title)}`, `**${escapeText(document.verdict)}**`];
	for (const section of document.sections) {
		parts.push(`## ${escapeText(section.title)}`, ...section.blocks.map(item => block(item)));
	}

	return `${parts.join('\n\n')}\n`;
}
