import type {Command} from 'commander';
import {assessCompliance} from '../../core/policy/compliance.js';
import {exitCodes} from '../../core/errors.js';
import {SettingsStore} from '../../settings/store.js';
import {localState} from '../context.js';
import type {Output} from '../output.js';

/**
 * `sedai compliance`: the guideline 6.0 checklist over every cartridge and target Sedai has
 * seen, online or on the shelf. No passphrase needed: it reads the local memory and looks at
 * the media that are connected. Exit 0 only when every check passes.
 */
export function registerCompliance(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('compliance')
		.description('check the site against the health ministry guideline 6.0 (generations, write protection, offline copy, …)')
		.option('--json', 'machine-readable output: one record per check, then a summary')
		.action(async (options: {json?: boolean}) => run(options.json, async output => {
			const settings = new SettingsStore().get();
			const report = await assessCompliance(localState(), settings);
			for (const check of report.checks) {
				output.record('check', check);
			}

			const {unicode} = output.capabilities;
			const mark = (pass: boolean) => pass ? `${unicode ? '✔' : '+'} PASS` : `${unicode ? '✘' : 'x'} FAIL`;
			const lines = report.checks.flatMap(check => [
				`${mark(check.pass)}  ${check.title}: ${check.requirement}`,
				...check.evidence.map(line => `        ${line}`),
				...(check.action ? [`        ${unicode ? '→' : '->'} ${check.action}`] : []),
			]);
			output.summary({
				ok: report.pass,
				guideline: report.guideline,
				time: report.time,
				passed: report.passed,
				failed: report.failed,
				failing: report.checks.filter(check => !check.pass).map(check => check.id),
				rotation: {due: report.rotation.due, lastUsed: report.rotation.lastUsed, mustGoOffline: report.rotation.mustGoOffline, advice: report.rotation.advice},
			}, [
				`Guideline compliance (${report.guideline}), ${report.time.slice(0, 16).replace('T', ' ')} UTC:`,
				...lines,
				...report.rotation.advice.map(line => `Rotation: ${line}`),
				report.pass ? `All ${report.passed} checks pass.` : `${report.failed} of ${report.checks.length} checks FAIL: see the actions above.`,
			]);
			return report.pass ? exitCodes.ok : exitCodes.failure;
		}));
}
