import path from 'node:path';
import {Repository} from '../../core/repository/repository.js';
import type {OperationContext} from './context.js';
import {mediumAt, type Medium} from './locate.js';

/** A medium named either way: located already (the TUI's catalog) or by a repository path (`--repo`). */
export type MediumRef = {medium: Medium} | {repo: string};

export async function resolveMedium(context: OperationContext, ref: MediumRef): Promise<Medium> {
	return 'medium' in ref ? ref.medium : mediumAt(context, ref.repo);
}

export async function openMedium(context: OperationContext, ref: MediumRef): Promise<{medium: Medium; repository: Repository}> {
	const medium = await resolveMedium(context, ref);
	const repository = await context.media.openAt(medium.root, medium.repositoryId);
	return {medium, repository};
}

/** The name a job is shown under: the medium's label (read from the repository, no passphrase needed), else its folder. */
export async function labelOf(ref: MediumRef): Promise<string> {
	if ('medium' in ref) {
		return ref.medium.label;
	}

	try {
		return (await Repository.identify(ref.repo)).label;
	} catch {
		return path.basename(path.resolve(ref.repo));
	}
}
