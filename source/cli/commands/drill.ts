import type {Command} from 'commander';
import {runDrill, type DrillRunResult} from '../../app/operations/drill.js';
import {SedaiError} from '../../core/errors.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {finish} from '../finish.js';
import {outputLanguage} from '../language.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

type Options = {
	target?: string;
	repo?: string;
	generation?: string;
	include?: string[];
	operator?: string;
	witness?: string;
	note?: string;
	keep?: boolean;
	reportDir?: string;
	lang?: string;
	passphraseFile?: string;
	json?: boolean;
};

function languageOf(options: Options): 'en' | 'ja' {
	if (options.lang === undefined) {
		return outputLanguage() === 'ja' ? 'ja' : 'en';
	}

	if (options.lang !== 'en' && options.lang !== 'ja') {
		throw new SedaiError('usage', `--lang takes en or ja, not "${options.lang}".`);
	}

	return options.lang;
}

export function registerDrill(program: Command, run: Runner): void {
	program.command('drill')
		.description('a restore drill: restore the generation a recovery would use, prove every byte, load the EHR databases, time it, and write the report the clinic keeps')
		.option('--target <name>', 'the medium to drill (default: the one longest without a drill)')
		.option('--repo <repo>', 'repository folder to drill')
		.option('--generation <generation>', 'latest, latest~N, #SEQ or an id prefix (default: the newest clean one)')
		.option('--include <path...>', 'restore only these paths (as `sedai ls` shows them)')
		.option('--operator <name>', 'who runs the drill')
		.option('--witness <name>', 'who watched it (e.g. the clinic manager)')
		.option('--note <text>', 'a note for the report')
		.option('--keep', 'keep the restored copy in the scratch folder (default: delete it)')
		.option('--report-dir <dir>', 'also write the report (Markdown, HTML, JSON) into this folder')
		.option('--lang <lang>', 'the report\'s language: en or ja (default: the UI language)')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const end = await runDrill(cliContext(output, options), {
				...(options.target ? {target: options.target} : {}),
				...(options.repo ? {repo: options.repo} : {}),
				...(options.generation ? {generation: options.generation} : {}),
				...(options.include ? {include: options.include} : {}),
				...(options.operator ? {operator: options.operator} : {}),
				...(options.witness ? {witness: options.witness} : {}),
				...(options.note ? {note: options.note} : {}),
				...(options.keep ? {keep: true} : {}),
				...(options.reportDir ? {reportDir: options.reportDir} : {}),
				language: languageOf(options),
			});
			return finish(output, end, result => summary(result));
		}));
}

function summary({report, files, kept}: DrillRunResult): {data: Record<string, unknown>; human: string[]} {
	const {verdict, generation, medium, applicationChecks: {databases}} = report;
	return {
		data: {ok: verdict.passed, report, files, ...(kept ? {kept} : {})},
		human: [
			...report.steps.map(step => `${step.status === 'passed' ? 'ok  ' : (step.status === 'skipped' ? 'skip' : 'FAIL')} ${step.id.padEnd(18)} ${formatDuration(step.durationMs).padStart(8)}${step.detail ? `  ${step.detail}` : ''}`),
			...databases.databases.map(database => `database ${database.file}: ${database.ok ? `loaded, ${database.tables.map(table => `${table.schema}.${table.name} ${formatCount(table.rows)}`).join(', ')}` : `DID NOT LOAD: ${database.error ?? ''}`}`),
			...(databases.note ? [`databases: ${databases.note}`] : []),
			`Drill of "${medium.label}" generation #${generation.seq} (${formatDuration(generation.ageMs)} old): ${formatCount(report.restored.files)} files, ${formatBytes(report.restored.bytes)} restored; RTO ${formatDuration(report.totalMs)}.`,
			verdict.passed ? 'PASSED.' : `FAILED: ${verdict.reasons.map(reason => `${reason.code}${reason.detail ? ` (${reason.detail})` : ''}`).join('; ')}.`,
			`Report: ${files.markdown} (also ${files.html}, ${files.json}${files.onMedium ? `, sealed on the medium as ${files.onMedium}` : ''}).`,
			...(kept ? [`The restored copy is kept in ${kept}: delete it when done (it holds patient data).`] : []),
		],
	};
}
