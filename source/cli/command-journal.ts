import path from 'node:path';
import type {Command} from 'commander';
import type {JobKind} from '../core/jobs/events.js';
import {Repository} from '../core/repository/repository.js';
import {startJournal, type JobJournal} from '../settings/job-journal.js';

/**
 * Which headless commands are jobs (and so write a job journal for `sedai monitor`): the four
 * that run an engine job. Known by command name, so the commands themselves stay unaware.
 */
const jobCommands = new Set<string>(['backup', 'verify', 'restore', 'prune'] satisfies JobKind[]);

type JobOptions = {repo?: string; plan?: string; full?: boolean; into?: string; dryRun?: boolean};

function detailOf(kind: JobKind, options: JobOptions, args: readonly string[]): string | undefined {
	switch (kind) {
		case 'verify': {
			return options.full ? 'full' : 'structure';
		}

		case 'restore': {
			return [args[0], options.into ? `into ${options.into}` : undefined].filter(Boolean).join(' ') || undefined;
		}

		case 'prune': {
			return options.dryRun ? 'dry run' : undefined;
		}

		case 'backup': {
			// A plan's name is its label (it may write to several repositories).
			return undefined;
		}
	}
}

/** The label on the repository's own config (no passphrase needed), else its folder name. */
async function labelOf(repo: string): Promise<string> {
	try {
		const config = await Repository.identify(repo);
		return config.label;
	} catch {
		return path.basename(path.resolve(repo));
	}
}

/** A journal for the command about to run, or undefined when it is not a job (or cannot journal). */
export async function journalFor(command: Command | undefined): Promise<JobJournal | undefined> {
	if (!command || !jobCommands.has(command.name())) {
		return undefined;
	}

	try {
		const kind = command.name() as JobKind;
		const options = command.opts<JobOptions>();
		const detail = detailOf(kind, options, command.args);
		const label = options.repo ? await labelOf(options.repo) : (options.plan ? `plan ${options.plan}` : '?');
		const journal = startJournal({kind, label, ...(options.repo ? {repository: path.resolve(options.repo)} : {}), ...(detail ? {detail} : {})});
		return journal.file ? journal : undefined;
	} catch {
		return undefined;
	}
}
