import {Repository} from '../../../core/repository/repository.js';
import type {GenerationInfo} from '../../../core/repository/generations.js';
import type {CartridgeRecord} from '../../../settings/state.js';
import type {OperationContext} from '../context.js';
import {discover, type Medium} from '../locate.js';

/**
 * The drill a ransomware recovery would need: the medium that has gone longest without a drill
 * (an offline cartridge first: that is the copy a recovery would use), and on it the newest
 * generation the sentinel judged clean.
 */
export type DrillProposal = {
	label: string;
	repositoryId: string;
	/** Connected now, at this place. */
	medium?: Medium;
	offline: boolean;
	lastDrill?: string;
};

function lastDrillOf(context: OperationContext, id: string): string | undefined {
	return context.state.drills().filter(drill => drill.repositoryId === id).map(drill => drill.time).sort().at(-1);
}

async function whereIs(record: CartridgeRecord, found: Awaited<ReturnType<typeof discover>>): Promise<Medium | undefined> {
	const kind = record.removable === false ? 'folder' : 'cartridge';
	const hit = found.find(candidate => candidate.id === record.id);
	if (hit) {
		return {root: hit.path, repositoryId: record.id, label: record.label, kind};
	}

	if (record.lastPath && !record.offlineSince) {
		const config = await Repository.identify(record.lastPath).catch(() => undefined);
		if (config?.id === record.id) {
			return {root: record.lastPath, repositoryId: record.id, label: record.label, kind};
		}
	}

	return undefined;
}

export async function proposeDrill(context: OperationContext): Promise<DrillProposal | undefined> {
	const found = await discover(context);
	const candidates: DrillProposal[] = [];
	for (const record of context.state.cartridges().filter(item => item.generations.length > 0)) {
		const medium = await whereIs(record, found);
		const lastDrill = lastDrillOf(context, record.id);
		candidates.push({label: record.label, repositoryId: record.id, offline: !medium, ...(medium ? {medium} : {}), ...(lastDrill ? {lastDrill} : {})});
	}

	// Longest without a drill first (never drilled before all); then offline before online, then
	// cartridges before fixed folders: the copy a ransomware recovery would actually use.
	const cartridge = (item: DrillProposal) => Number(context.state.cartridge(item.repositoryId)?.removable !== false);
	candidates.sort((a, b) => (a.lastDrill ?? '').localeCompare(b.lastDrill ?? '') || Number(b.offline) - Number(a.offline) || cartridge(b) - cartridge(a));
	return candidates[0];
}

/** The newest generation the sentinel did not flag, else the newest. */
export function cleanestNewest(generations: GenerationInfo[]): GenerationInfo | undefined {
	return generations.findLast(generation => !generation.sentinel?.suspect) ?? generations.at(-1);
}
