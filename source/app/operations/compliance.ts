import {evaluateCompliance, type ComplianceReport} from '../../core/policy/compliance.js';
import {gatherMedia, isOffline, type MediumFacts} from '../../core/policy/media.js';
import {Repository} from '../../core/repository/repository.js';
import {checkRepository} from '../../system/generation-protection.js';
import type {OperationContext} from './context.js';
import {drillsOn, verificationsOn} from './medium-evidence.js';

/**
 * The guideline checklist over every medium this machine knows, the one assessment behind
 * `sedai compliance` and the console's Compliance view. Each medium reachable now is looked at
 * itself: its generations' immutable flag (lsattr) and write-protect switch, and the evidence it
 * carries (verifications, sealed drill reports), which is kept locally as well so it still counts
 * once the cartridge is ejected. Nothing prompts: an encrypted medium whose passphrase is not at
 * hand gives its verifications and protection, not its sealed drill reports.
 */
export type ComplianceOptions = {
	/** The caller's clock: the report is as of this time. */
	now: Date;
	/** Reuse a medium's protection look for this long (the console refreshes every few seconds). */
	protection?: ProtectionCache;
};

type ProtectionLook = Pick<MediumFacts, 'generations' | 'hardwareWriteProtected'>;

export class ProtectionCache {
	private readonly looks = new Map<string, {at: number; key: string; look: ProtectionLook}>();

	constructor(private readonly ttlMs: number) {}

	get(root: string, key: string, now: number): ProtectionLook | undefined {
		const hit = this.looks.get(root);
		return hit?.key === key && now - hit.at < this.ttlMs ? hit.look : undefined;
	}

	set(root: string, key: string, now: number, look: ProtectionLook): void {
		this.looks.set(root, {at: now, key, look});
	}
}

export async function assessCompliance(context: OperationContext, options: ComplianceOptions): Promise<ComplianceReport> {
	const settings = context.settings();
	const media: MediumFacts[] = [];
	for (const medium of await gatherMedia(context.state.cartridges())) {
		media.push(medium.present && !isOffline(medium) ? await lookAt(context, medium, options) : medium);
	}

	return evaluateCompliance({now: options.now, settings, media, verifications: context.state.verifications(), drills: context.state.drills()});
}

/** A reachable medium as it is now: protection from the files themselves, evidence from the medium. */
async function lookAt(context: OperationContext, medium: MediumFacts, options: ComplianceOptions): Promise<MediumFacts> {
	const root = medium.lastPath!;
	const config = await Repository.identify(root).catch(() => undefined);
	if (config?.id !== medium.id) {
		// Another repository (or none) answers at that path now: this medium is not here.
		return {...medium, present: false};
	}

	await importEvidence(context, medium, root);
	return {...medium, ...await protectionNow(medium, root, options)};
}

async function importEvidence(context: OperationContext, medium: MediumFacts, root: string): Promise<void> {
	try {
		// Both are sealed under the medium's key: read them only when that asks no passphrase.
		if (!await context.media.wouldAsk(root)) {
			const repository = await context.media.openAt(root, medium.id);
			context.state.importVerifications(await verificationsOn(repository));
			context.state.importDrills(await drillsOn(repository));
		}
	} catch {
		// What could not be read proves nothing; the local records stand.
	}
}

async function protectionNow(medium: MediumFacts, root: string, options: ComplianceOptions): Promise<ProtectionLook> {
	const now = options.now.getTime();
	const key = medium.generations.map(generation => generation.id).join(',');
	const cached = options.protection?.get(root, key, now);
	if (cached) {
		return cached;
	}

	try {
		// Without the key every sealed file counts for every generation: conservative, and no prompt.
		const {generations: found, medium: state} = await checkRepository(root);
		const byId = new Map(found.map(generation => [generation.id, generation]));
		const look: ProtectionLook = {
			hardwareWriteProtected: state.hardwareReadOnly,
			generations: medium.generations.map(generation => {
				const current = byId.get(generation.id);
				const {protectionNote: _note, ...rest} = generation;
				return current ? {...rest, protection: current.protection, ...(current.note ? {protectionNote: current.note} : {})} : {...rest, protection: 'none' as const, protectionNote: 'its sealed file is gone'};
			}),
		};
		options.protection?.set(root, key, now, look);
		return look;
	} catch (error) {
		// Not looked at is not protected.
		const note = `protection could not be checked: ${error instanceof Error ? error.message : String(error)}`;
		return {generations: medium.generations.map(generation => ({...generation, protection: 'none' as const, protectionNote: note}))};
	}
}
