import {SedaiError} from '../../core/errors.js';
import {describeHolder, listLocks, removeStaleLocks, type LockInfo} from '../../core/repository/lock.js';
import {layoutOf} from '../../core/repository/layout.js';
import {kindOf, targetOf} from '../../core/policy/media.js';
import {onRemovableDrive} from '../../system/write-protect.js';
import {Repository} from '../../core/repository/repository.js';
import type {EjectResult, MountResult} from '../../system/drive-source.js';
import {checkNewPassphrase} from '../passphrase-rules.js';
import {trySettings, type OperationContext} from './context.js';
import {runJob, type JobEnd} from './job.js';
import {labelOf, resolveMedium, type MediumRef} from './medium-job.js';
import {rememberMedium} from './remember.js';

/**
 * The quick actions on a medium: create a repository (init), eject safely, insert (mount) a
 * known cartridge, remove stale locks. Each is a job like the others (start, one end), so every
 * front end shows and logs them the same way.
 */
export type InitRequest = {root: string; label?: string; site?: string; passphrase?: string; removable?: boolean};
export type InitResult = {repository: string; id: string; label: string; encrypted: boolean};

export async function initMedium(context: OperationContext, request: InitRequest): Promise<JobEnd<InitResult>> {
	return runJob(context, {kind: 'init', label: request.label ?? request.root, repository: request.root}, async () => {
		if (request.passphrase !== undefined) {
			checkNewPassphrase(request.passphrase, 'given');
		}

		const repository = await Repository.init(request.root, {...(request.label ? {label: request.label} : {}), ...(request.site ? {site: request.site} : {}), ...(request.passphrase === undefined ? {} : {passphrase: request.passphrase})});
		await rememberMedium(context, repository, {kind: await initKind(context, request, repository.root, repository.label)});
		const {config} = repository;
		return {status: 'ok', result: {repository: request.root, id: config.id, label: config.label, encrypted: Boolean(config.encryption)}};
	});
}

/**
 * What a new repository is, recorded from the start (an unrecorded kind was taken for a
 * cartridge): as told (--removable), else as the site's targets name it, else as the kernel says
 * of the drive under it. A plain folder on a fixed disk is a folder.
 */
async function initKind(context: OperationContext, request: InitRequest, root: string, label: string): Promise<'cartridge' | 'folder'> {
	if (request.removable !== undefined) {
		return request.removable ? 'cartridge' : 'folder';
	}

	const target = targetOf({label, lastPath: root}, trySettings(context).settings?.targets ?? []);
	if (target) {
		return target.kind;
	}

	return await onRemovableDrive(root) ? 'cartridge' : 'folder';
}

export async function ejectMedium(context: OperationContext, request: {target: string; busy?: (label: string) => boolean}): Promise<JobEnd<EjectResult>> {
	return runJob(context, {kind: 'eject', label: request.target}, async () => {
		if (request.busy?.(request.target)) {
			throw new SedaiError('busy', `"${request.target}" has a job queued or running: cancel it or wait before ejecting.`);
		}

		const result = await context.drives.eject(request.target, {state: context.state});
		if (!result.ok) {
			throw new SedaiError('io', [...result.notes, ...result.steps].join('; ') || `Could not eject ${request.target}.`);
		}

		for (const cartridge of result.cartridges) {
			const record = context.state.cartridge(cartridge.id);
			if (record && !record.offlineSince) {
				context.state.markOffline(cartridge.id, 'ejected');
			}

			if (record?.lastPath) {
				context.media.close(record.lastPath);
			}
		}

		return {status: 'ok', result};
	});
}

export type StoredAwayResult = {label: string; id: string; offlineSince: string; reason: 'ejected' | 'stored'};

/**
 * A cartridge taken out without a safe eject (pulled, or ejected on another machine): the
 * technician confirms it is stored away, so it counts as the guideline's offline copy. Only a
 * cartridge that is not connected can be; a folder or share never can (unmounting it proves
 * nothing about where its disk is).
 */
export async function confirmStoredAway(context: OperationContext, request: {target: string}): Promise<JobEnd<StoredAwayResult>> {
	return runJob(context, {kind: 'eject', label: request.target, detail: 'stored-away'}, async () => {
		const record = context.state.findByLabel(request.target) ?? context.state.cartridges().find(item => item.id === request.target);
		if (!record) {
			throw new SedaiError('not-found', `No cartridge labelled "${request.target}" is known here: see \`sedai cartridges\` for the ones Sedai has seen.`);
		}

		if (kindOf(record, trySettings(context).settings?.targets ?? []) === 'folder') {
			throw new SedaiError('usage', `"${record.label}" is a folder repository, not a cartridge: a folder or share cannot be stored away. Back up to a cartridge and eject it for the offline copy.`);
		}

		if (record.offlineReason === 'ejected' || record.offlineReason === 'stored') {
			return {status: 'ok', result: {label: record.label, id: record.id, offlineSince: record.offlineSince!, reason: record.offlineReason}};
		}

		const here = record.lastPath ? await Repository.identify(record.lastPath).catch(() => undefined) : undefined;
		if (here?.id === record.id) {
			throw new SedaiError('usage', `"${record.label}" is still connected (${record.lastPath}): eject it safely with \`sedai eject ${record.label}\` (or e in the Drives view), then store it away.`);
		}

		const updated = context.state.markOffline(record.id, 'stored', context.now?.() ?? new Date())!;
		return {status: 'ok', result: {label: record.label, id: record.id, offlineSince: updated.offlineSince!, reason: 'stored'}};
	});
}

export async function insertMedium(context: OperationContext, request: {label: string}): Promise<JobEnd<MountResult>> {
	return runJob(context, {kind: 'insert', label: request.label}, async () => {
		if (!context.drives.mount) {
			throw new SedaiError('tool-missing', `Mounting is not available here: mount "${request.label}" with the system's tools, then look again.`);
		}

		return {status: 'ok', result: await context.drives.mount(request.label, {state: context.state})};
	});
}

export type UnlockResult = {label: string; removed: Array<Pick<LockInfo, 'operation' | 'pid' | 'host' | 'started'>>; removedText: string[]};

export async function unlockMedium(context: OperationContext, request: MediumRef & {force?: boolean}): Promise<JobEnd<UnlockResult>> {
	return runJob(context, {kind: 'unlock', label: await labelOf(request)}, async () => {
		const medium = await resolveMedium(context, request);
		const {removed, kept} = await removeStaleLocks(layoutOf(medium.root), {force: request.force});
		if (kept.length > 0) {
			const live = kept.map(lock => describeHolder(lock)).join('; ');
			const remote = kept.some(lock => lock.state === 'unknown');
			throw new SedaiError('locked', `"${medium.label}" is locked by ${live}: ${remote ? 'that lock is from another machine; if it no longer uses this repository, run again with --force' : 'that process is still running; wait for it or stop it first'}.`, {kept: kept.length});
		}

		return {status: 'ok', result: {label: medium.label, removed: removed.map(lock => ({operation: lock.operation, pid: lock.pid, host: lock.host, started: lock.started})), removedText: removed.map(lock => describeHolder(lock))}};
	});
}

export type LockHolder = Pick<LockInfo, 'operation' | 'pid' | 'host' | 'user' | 'started' | 'state'>;

/** Who holds a medium's locks and since when, before anything is removed (no job: it only reads). */
export async function mediumLocks(context: OperationContext, request: MediumRef): Promise<{label: string; locks: LockHolder[]}> {
	const medium = await resolveMedium(context, request);
	const locks = await listLocks(layoutOf(medium.root));
	return {label: medium.label, locks: locks.map(({operation, pid, host, user, started, state}) => ({operation, pid, host, user, started, state}))};
}
