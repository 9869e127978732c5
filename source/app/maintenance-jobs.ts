import {SedaiError} from '../core/errors.js';
import type {Target} from '../settings/schema.js';
import {formatBytes} from '../text/format.js';
import {backUp, type BackupRunResult} from './operations/backup.js';
import {initMedium, unlockMedium, type InitResult, type UnlockResult} from './operations/media-actions.js';
import {protectMedium, type ProtectRunResult} from './operations/protect.js';
import {pruneMedium, type PruneRunResult} from './operations/prune.js';
import type {Medium} from './operations/locate.js';
import type {JobSpec} from './job-queue.js';
import {outcomeOf, type Message} from './job-specs.js';
import type {Session} from './session.js';

/**
 * The upkeep a technician starts from the console, each one operation the CLI runs too: prune
 * (only what the confirmed preview listed), protect, unlock, a named plan, a new repository.
 */
export function pruneJob(session: Session, medium: Medium, expectRemove: string[]): JobSpec {
	return {
		kind: 'prune',
		label: medium.label,
		async run(context) {
			const end = await pruneMedium(session.context(context), {medium, expectRemove});
			session.forgetRemembered(medium.repositoryId);
			return outcomeOf(end, (result: PruneRunResult) => ({key: 'log.pruneDone', params: {label: result.label, removed: result.removed, kept: result.kept, freed: formatBytes(Math.max(0, result.bytesFreed))}}));
		},
	};
}

export function protectJob(session: Session, medium: Medium): JobSpec {
	return {
		kind: 'protect',
		label: medium.label,
		async run(context) {
			const end = await protectMedium(session.context(context), {medium});
			session.forgetRemembered(medium.repositoryId);
			return outcomeOf(end, (result: ProtectRunResult): Message => result.unprotected === 0
				? {key: 'log.protectDone', params: {label: result.label, generations: result.generations.length, protection: result.applied?.protection ?? '-'}}
				: {key: 'log.protectPartial', params: {label: result.label, unprotected: result.unprotected, generations: result.generations.length}});
		},
	};
}

export function unlockJob(session: Session, medium: Medium, force: boolean): JobSpec {
	return {
		kind: 'unlock',
		label: medium.label,
		async run(context) {
			const end = await unlockMedium(session.context(context), {medium, force});
			return outcomeOf(end, (result: UnlockResult) => ({key: 'log.unlocked', params: {label: result.label, count: result.removed.length}}));
		},
	};
}

export function planJob(session: Session, plan: string): JobSpec {
	return {
		kind: 'backup',
		label: plan,
		detail: 'plan',
		async run(context) {
			const end = await backUp(session.context(context), {plan});
			for (const target of end.result?.targets ?? []) {
				if (target.repositoryId) {
					session.forgetRemembered(target.repositoryId);
				}
			}

			return outcomeOf(end, (result: BackupRunResult) => ({key: result.suspect ? 'log.planSuspect' : 'log.planDone', params: {plan, sealed: result.sealed.join(', ') || '-', offline: result.offline.join(', ') || '-', failed: result.failed.join(', ') || '-'}}));
		},
	};
}

/** A passphrase typed for it, else (encrypted) the site's own (a file or SEDAI_PASSPHRASE). */
export type NewTarget = {root: string; label: string; removable: boolean; encrypted: boolean; passphrase?: string};

/** The site target a new repository becomes: a cartridge is found by its label, a folder by its path. */
export function targetOf(request: NewTarget): Target {
	return request.removable ? {name: request.label, kind: 'cartridge', label: request.label} : {name: request.label, kind: 'folder', path: request.root};
}

/** Create the repository (formatting nothing), then add it to the site's targets. */
export function initJob(session: Session, request: NewTarget): JobSpec {
	return {
		kind: 'init',
		label: request.label,
		async run(context) {
			const passphrase = request.encrypted ? request.passphrase ?? await session.passphrases.ofSite() : undefined;
			if (request.encrypted && passphrase === undefined) {
				throw new SedaiError('passphrase-required', `No passphrase for "${request.label}": type one, or name the site's passphrase file in Settings; nothing was created.`);
			}

			const end = await initMedium(session.context(context), {root: request.root, label: request.label, removable: request.removable, site: session.snapshot.settings.site, ...(passphrase === undefined ? {} : {passphrase})});
			if (end.result && request.passphrase !== undefined) {
				// Just typed twice: asking again on the first backup would only annoy.
				session.passphrases.remember(end.result.id, {passphrase: request.passphrase});
			}

			if (end.result) {
				const target = targetOf(request);
				const {targets} = session.settingsStore.get();
				session.updateSettings({targets: [...targets.filter(item => item.name !== target.name), target]});
			}

			return outcomeOf(end, (result: InitResult) => ({key: result.encrypted ? 'log.initEncrypted' : 'log.initPlain', params: {label: result.label, root: result.repository}}));
		},
	};
}
