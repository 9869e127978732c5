import type {Command} from 'commander';
import {backUp, type BackupRunResult, type TargetOutcome} from '../../app/operations/backup.js';
import {message} from '../../core/message.js';
import {formatBytes, formatCount, formatDuration} from '../../text/format.js';
import {renderMessage} from '../../text/messages/render.js';
import {outputLanguage} from '../language.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';
import type {Output} from '../output.js';
import {finish} from '../finish.js';

type Options = {repo?: string; plan?: string; tag?: string[]; passphraseFile?: string; recoveryKey?: string; json?: boolean};

/** `sedai backup`: thin over the backup operation; prints what it returns. */
export function registerBackup(program: Command, run: Runner): void {
	program.command('backup')
		.description('back up folders or files into a new sealed generation')
		.argument('[source...]', 'folders or files to back up (never written to)')
		.option('--repo <repo>', 'repository folder')
		.option('--plan <name>', 'back up a plan\'s sources to each of its targets that is connected')
		.option('--tag <tag...>', 'tags to record with the generation')
		.option('--passphrase-file <file>', 'read the passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (sources: string[], options: Options) => run(options.json, async output => {
			const end = await backUp(cliContext(output, options), {
				...(options.plan ? {plan: options.plan} : {repo: options.repo}),
				...(sources.length > 0 ? {sources} : {}),
				...(options.tag ? {tags: options.tag} : {}),
			});
			return finish(output, end, result => options.plan ? planSummary(output, result) : repositorySummary(result));
		}));
}

function sealedLine(outcome: TargetOutcome): string {
	const generation = outcome.generation!;
	return `sealed generation ${generation.shortId} (#${generation.seq}): ${formatCount(generation.files)} files, ${formatBytes(generation.bytes)}; ${formatBytes(generation.newBytes)} new (${formatBytes(generation.storedBytes)} written) in ${formatDuration(generation.durationMs)}; protection: ${outcome.protection ?? 'none'}${outcome.protectionNote ? ` (${outcome.protectionNote})` : ''}.`;
}

function repositorySummary(result: BackupRunResult): {data: Record<string, unknown>; human: string[]} {
	const outcome = result.targets[0];
	const generation = outcome.generation!;
	return {
		data: {
			ok: result.omitted === 0,
			generation: generation.id,
			shortId: generation.shortId,
			seq: generation.seq,
			time: generation.time,
			repository: outcome.repository,
			label: outcome.label,
			files: generation.files,
			dirs: generation.dirs,
			bytes: generation.bytes,
			newBytes: generation.newBytes,
			storedBytes: generation.storedBytes,
			changedFiles: outcome.changedFiles,
			unchangedFiles: outcome.unchangedFiles,
			warnings: outcome.warnings,
			omitted: result.omitted,
			missing: result.missing,
			durationMs: generation.durationMs,
			suspect: outcome.suspect ?? false,
			protection: outcome.protection,
			...(outcome.protectionNote ? {protectionNote: outcome.protectionNote} : {}),
			...(outcome.suspect ? {suspectReasons: outcome.suspectReasons} : {}),
		},
		human: [
			`"${outcome.label}": ${sealedLine(outcome)}`,
			...(outcome.warnings ? [`${outcome.warnings} warning(s): see above.`] : []),
			...omissionLines(result, 'this generation'),
		],
	};
}

/** A run that left out what it was asked to read says so, and names what is missing. */
function omissionLines(result: BackupRunResult, where: string): string[] {
	if (result.omitted === 0) {
		return [];
	}

	const shown = result.missing.slice(0, 5);
	const more = result.omitted - shown.length;
	return [`Completed with omissions: ${result.omitted} item(s) could not be read and are NOT in ${where}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''} (see the warnings above).`];
}

function offlineLine(outcome: TargetOutcome): string {
	// A rotation skip already reads as one ("skipped: RDX-B offline (rotation)").
	return outcome.message?.startsWith('skipped: ') ? `${outcome.message}.` : `${outcome.name}: offline (${outcome.message ?? 'not connected'}); skipped.`;
}

function planSummary(output: Output, result: BackupRunResult): {data: Record<string, unknown>; human: string[]} {
	for (const outcome of result.targets) {
		output.record('target', outcome);
	}

	const names = (list: string[]) => list.join(', ');
	const failed = result.targets.filter(target => target.status === 'failed');
	return {
		data: {ok: result.sealed.length > 0 && result.failed.length === 0 && !result.rotation?.overdue && result.omitted === 0, ...result},
		human: [
			...result.targets.map(outcome => outcome.status === 'sealed'
				? `${outcome.name}: ${sealedLine(outcome)}`
				: (outcome.status === 'offline' ? offlineLine(outcome) : `${outcome.name}: ${outcome.status.toUpperCase()}: ${outcome.message ?? ''}`)),
			`Plan "${result.plan}": sealed on ${result.sealed.length} of ${result.targets.length} target(s)${result.sealed.length > 0 ? ` (${names(result.sealed)})` : ''}${result.offline.length > 0 ? `; offline: ${names(result.offline)}` : ''}${failed.length > 0 ? `; FAILED: ${failed.map(outcome => `${outcome.name} (${outcome.message ?? 'error'})`).join(', ')}` : ''}.`,
			...(result.rotation?.overdue ? [result.rotation.overdue] : []),
			...(result.suspect ? ['SUSPECT: the sentinel flagged this backup as a possible ransomware attack (see the warnings above).'] : []),
			...(result.sealed.length === 1 && result.targets.length > 1 ? ['Only one target holds this generation: the guideline asks for more than one method.'] : []),
			...omissionLines(result, 'these generations'),
			...(result.rotation?.adviceMessages ?? []).map(line => renderMessage(message('report.rotation', {advice: line}), outputLanguage())),
		],
	};
}
