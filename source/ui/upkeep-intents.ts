import path from 'node:path';
import type {Session} from '../app/session.js';
import type {PruneRunResult} from '../app/operations/prune.js';
import type {LockHolder} from '../app/operations/media-actions.js';
import {formatBytes, formatTime} from '../text/format.js';
import {SedaiError} from '../core/errors.js';
import type {Translate} from './i18n/i18n.js';
import type {Overlay, UiAction} from './state/ui-state.js';

/**
 * The upkeep a technician does from the console, each behind the same kind of confirmation as
 * eject: prune (a dry-run preview, then the label typed), write-protect, unlock a stale lock (who
 * holds it and since when), run a named plan, verify every medium in full, create a repository.
 * Each then runs as a job: the operation the CLI runs too.
 */
export type UpkeepIntents = {
	prune: (target: string) => void;
	protect: (target: string) => void;
	unlock: (target: string) => void;
	runPlan: () => void;
	verifyAll: () => void;
	newRepository: () => void;
};

type Needs = {
	session: Session;
	dispatch: (action: UiAction) => void;
	t: Translate;
	/** Runs the work, turning a failure into the error dialog. */
	attempt: (work: () => unknown) => void;
};

/** Rows of the preview shown before "… and n more": the prompt fits 80×24 with its typed label. */
const previewRows = 4;

export function pruneConfirmBody(preview: PruneRunResult, t: Translate): string[] {
	const removed = preview.generations.filter(row => row.action === 'remove');
	const {policy} = preview;
	const rows = removed.slice(0, previewRows).map(row => `  ${t('prune.row', {seq: `#${row.seq}`, time: formatTime(row.time), shortId: row.shortId})}`);
	return [
		t('prune.body', {...policy, kept: preview.kept, removed: removed.length, freed: formatBytes(Math.max(0, preview.bytesFreed))}),
		...rows,
		...(removed.length > previewRows ? [`  ${t('prune.more', {count: removed.length - previewRows})}`] : []),
		t('prune.same'),
	];
}

function holderLine(lock: LockHolder, t: Translate): string {
	return t('unlock.holder', {operation: lock.operation, pid: lock.pid, host: lock.host, user: lock.user, since: lock.started ? formatTime(lock.started) : '?', state: t(`unlock.state.${lock.state}`)});
}

export function upkeepIntents({session, dispatch, t, attempt}: Needs): UpkeepIntents {
	const push = (overlay: Overlay) => {
		dispatch({type: 'push', overlay});
	};

	const labelOf = (target: string) => session.target(target)?.label ?? target;
	const message = (title: string, body: string) => {
		push({kind: 'message', title, body: [body], level: 'info'});
	};

	// Path, then label (Tab: plain), then the passphrase twice unless the site has its own: the job creates it and adds the target.
	const askRepository = () => {
		push({kind: 'prompt', title: t('init.title'), body: [t('init.pathBody')], toggle: {label: t('init.removable'), initial: false}, onSubmit(typed, removable) {
			const root = typed.trim();
			if (!path.isAbsolute(root)) {
				attempt(() => {
					throw new SedaiError('usage', t('init.noPath'));
				});
				return;
			}

			push({kind: 'prompt', title: t('init.labelTitle'), body: [t('init.labelBody'), t('init.plainWhen')], initial: path.basename(removable ? path.dirname(root) : root), toggle: {label: t('init.encrypt'), initial: true}, onSubmit(name, encrypted) {
				const label = name.trim() || path.basename(root);
				if (!encrypted) {
					attempt(() => session.startInit({root, label, removable, encrypted: false}));
					return;
				}

				attempt(async () => {
					// The site has one passphrase for every medium: the new one takes it too.
					if (await session.passphrases.ofSite() === undefined) {
						askPassphrase(root, label, removable);
					} else {
						session.startInit({root, label, removable, encrypted: true});
					}
				});
			}});
		}});
	};

	const askPassphrase = (root: string, label: string, removable: boolean) => {
		push({kind: 'prompt', title: t('init.passphraseTitle', {label}), body: [t('init.passphraseBody')], mask: true, onSubmit(passphrase) {
			push({kind: 'prompt', title: t('init.repeatTitle', {label}), mask: true, onSubmit(again) {
				attempt(() => {
					if (again !== passphrase) {
						throw new SedaiError('usage', t('init.mismatch'));
					}

					return session.startInit({root, label, removable, encrypted: true, passphrase});
				});
			}});
		}});
	};

	return {
		prune(target) {
			const label = labelOf(target);
			session.log.add('info', {key: 'prune.looking', params: {label}});
			attempt(async () => {
				const preview = await session.previewPrune(target);
				const remove = preview.generations.filter(row => row.action === 'remove').map(row => row.id);
				if (remove.length === 0) {
					message(t('prune.nothingTitle'), t('prune.nothing', {label, kept: preview.kept}));
					return;
				}

				push({kind: 'confirm', title: t('prune.title', {label}), body: pruneConfirmBody(preview, t), expect: label, onConfirm() {
					attempt(() => session.startPrune(target, remove));
				}});
			});
		},
		protect(target) {
			const label = labelOf(target);
			push({kind: 'confirm', title: t('protect.title', {label}), body: [t('protect.body', {label})], onConfirm() {
				attempt(() => session.startProtect(target));
			}});
		},
		unlock(target) {
			const label = labelOf(target);
			attempt(async () => {
				const {locks} = await session.locks(target);
				if (locks.length === 0) {
					message(t('unlock.noneTitle'), t('unlock.none', {label}));
					return;
				}

				const lines = locks.map(lock => holderLine(lock, t));
				if (locks.every(lock => lock.state === 'alive')) {
					push({kind: 'message', title: t('unlock.aliveTitle'), body: [...lines, t('unlock.alive', {label})], level: 'info'});
					return;
				}

				// Another machine's lock cannot be judged from here: removing it is forced, and typed.
				const remote = locks.some(lock => lock.state === 'unknown');
				push({kind: 'confirm', title: t('unlock.title', {label}), body: [...lines, t(remote ? 'unlock.remote' : 'unlock.body', {label})], ...(remote ? {expect: label} : {}), onConfirm() {
					attempt(() => session.startUnlock(target, remote));
				}});
			});
		},
		runPlan() {
			const {plans} = session.snapshot.settings;
			if (plans.length === 0) {
				message(t('plan.title'), t('plan.none'));
				return;
			}

			push({kind: 'prompt', title: t('plan.title'), body: [t('plan.body'), ...plans.map(plan => `  ${t('plan.line', {name: plan.name, targets: plan.targets.join(', ')})}`)], initial: plans[0].name, onSubmit(name) {
				attempt(() => session.startPlan(name.trim()));
			}});
		},
		verifyAll() {
			const labels = session.snapshot.targets.filter(target => target.online && target.repositoryId).map(target => target.label);
			push({kind: 'confirm', title: t('verifyAll.title'), body: [t('verifyAll.body', {labels: labels.join(', ') || '-'})], onConfirm() {
				attempt(() => session.startVerifyAll('full'));
			}});
		},
		newRepository: askRepository,
	};
}
