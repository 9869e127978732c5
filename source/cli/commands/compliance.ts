import type {Command} from 'commander';
import {assessCompliance} from '../../app/operations/compliance.js';
import type {ComplianceCheck} from '../../core/policy/compliance.js';
import {exitCodes} from '../../core/errors.js';
import {message, type Message} from '../../core/message.js';
import {SettingsStore} from '../../settings/store.js';
import {cliLanguage, renderMessage, type Language} from '../../text/messages/render.js';
import {cliContext} from '../operation-context.js';
import type {Output} from '../output.js';

/**
 * `sedai compliance`: the guideline 6.0 checklist over every cartridge and target Sedai has
 * seen, online or on the shelf: the same assessment as the console's Compliance view. No
 * prompt: it reads the local memory and looks at the media that are connected (their sealed
 * drill reports too when a passphrase is given by SEDAI_PASSPHRASE or the site settings). Exit 0 only when every check passes. Human lines speak the CLI's
 * language; --json keeps English text (stable for scripts) next to the message codes.
 */
export function registerCompliance(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('compliance')
		.description('check the site against the health ministry guideline 6.0 (generations, write protection, offline copy, …)')
		.option('--json', 'machine-readable output: one record per check, then a summary')
		.action(async (options: {json?: boolean}) => run(options.json, async output => {
			const settings = new SettingsStore().get();
			const report = await assessCompliance(cliContext(output, {cancellable: false}), {now: new Date()});
			for (const check of report.checks) {
				output.record('check', checkRecord(check));
			}

			const language = cliLanguage(process.env, settings.language);
			const say = (line: Message) => renderMessage(line, language);
			const {unicode} = output.capabilities;
			const lines = report.checks.flatMap(check => [
				`${mark(check.pass, unicode, language)}  ${say(check.title)}: ${say(check.requirement)}`,
				...check.evidence.map(line => `        ${say(line)}`),
				...(check.action ? [`        ${unicode ? '→' : '->'} ${say(check.action)}`] : []),
			]);
			output.summary({
				ok: report.pass,
				guideline: report.guideline,
				time: report.time,
				passed: report.passed,
				failed: report.failed,
				failing: report.checks.filter(check => !check.pass).map(check => check.id),
				rotation: {due: report.rotation.due, lastUsed: report.rotation.lastUsed, mustGoOffline: report.rotation.mustGoOffline, replace: report.rotation.replace, advice: report.rotation.advice.map(line => renderMessage(line, 'en')), adviceMessages: report.rotation.advice},
			}, [
				say(message('report.compliance.heading', {guideline: report.guideline, time: report.time.slice(0, 16).replace('T', ' ')})),
				...lines,
				...report.rotation.advice.map(line => say(message('report.rotation', {advice: line}))),
				say(report.pass ? message('report.compliance.pass', {passed: report.passed}) : message('report.compliance.fail', {failed: report.failed, total: report.checks.length})),
			]);
			return report.pass ? exitCodes.ok : exitCodes.failure;
		}));
}

/** One check for --json: English text, plus the codes a script or another front end can render. */
function checkRecord(check: ComplianceCheck): Record<string, unknown> {
	const english = (line: Message) => renderMessage(line, 'en');
	return {
		id: check.id,
		title: english(check.title),
		requirement: english(check.requirement),
		pass: check.pass,
		evidence: check.evidence.map(line => english(line)),
		...(check.action ? {action: english(check.action)} : {}),
		messages: {requirement: check.requirement, evidence: check.evidence, ...(check.action ? {action: check.action} : {})},
	};
}

function mark(pass: boolean, unicode: boolean, language: Language): string {
	const symbol = pass ? (unicode ? '✔' : '+') : (unicode ? '✘' : 'x');
	return `${symbol} ${renderMessage(message(pass ? 'report.pass' : 'report.fail'), language)}`;
}
