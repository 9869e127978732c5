import {createContext, useContext, useMemo, type ReactNode} from 'react';
import {useApp} from 'ink';
import {isSedaiError, SedaiError} from '../core/errors.js';
import {errorText} from '../text/messages/error-text.js';
import type {VerifyMode} from '../app/operations/verify.js';
import type {DrillProposal} from '../app/operations/drill/proposal.js';
import type {ScratchEntry} from '../app/operations/scratch.js';
import type {DrillReport} from '../report/drill-report.js';
import {formatBytes} from '../text/format.js';
import {useI18n} from './i18n/i18n.js';
import {jobTitle} from './components/job-lines.js';
import {useSession, useUi} from './state/ui-context.js';
import type {GenerationRef, ViewId} from './state/ui-state.js';
import {upkeepIntents, type UpkeepIntents} from './upkeep-intents.js';

/**
 * What the user can ask for, in one place: views and the palette call these, which start jobs in
 * the session, open tabs, ask for confirmation, and turn any failure into a message dialog.
 */
export type Intents = UpkeepIntents & {
	showError: (error: unknown) => void;
	go: (view: ViewId) => void;
	backup: (targets: string[], sources: string[]) => void;
	verify: (target: string, level: VerifyMode) => void;
	restore: (generation: GenerationRef, include?: string) => void;
	pickForRestore: (generation: GenerationRef, include?: string) => void;
	eject: (target: string) => void;
	mount: (label: string) => void;
	/** A plan's nightly schedule: asks the time and the weekly full verification, then installs it. */
	schedule: (plan: string) => void;
	/** Remove a plan's schedule, after a yes. */
	unschedule: (plan: string) => void;
	/** Confirm that a cartridge that is out is stored away (an offline copy). */
	storedAway: (label: string) => void;
	/** The drill a recovery would need: asks operator and witness, then runs it as a job. */
	newDrill: () => void;
	/** A drill's report in a tab (its Markdown, and the files to print). */
	openReport: (report: DrillReport) => void;
	/** The scratch folder's leftovers in a tab. */
	openScratch: () => void;
	/** Delete a leftover in the scratch folder, after a confirmation; `done` runs once it is gone. */
	deleteScratch: (entry: ScratchEntry, done: () => void) => void;
	browse: (generation: GenerationRef) => void;
	diff: (before: GenerationRef, after: GenerationRef) => void;
	openDrive: (name: string) => void;
	refresh: () => void;
	cancelJob: (id: number) => void;
	quit: (force?: boolean) => void;
};

const IntentsContext = createContext<Intents | undefined>(undefined);

export function IntentsProvider({children}: {children: ReactNode}) {
	const session = useSession();
	const {dispatch} = useUi();
	const {t, language} = useI18n();
	const {exit} = useApp();
	const intents = useMemo<Intents>(() => {
		const showError = (error: unknown) => {
			const message = errorText(error, language);
			if (isSedaiError(error) && error.code === 'cancelled') {
				session.log.add('warn', {text: message});
				return;
			}

			session.log.add('error', {text: message});
			dispatch({type: 'push', overlay: {kind: 'message', title: t('dialog.errorTitle'), body: [message], level: 'error'}});
		};

		const attempt = (work: () => unknown) => {
			try {
				const result = work();
				if (result instanceof Promise) {
					result.catch(showError);
				}
			} catch (error) {
				showError(error);
			}
		};

		// Operator, then witness, then the drill runs as a job.
		const askSignOff = (proposal: DrillProposal) => {
			const body = [t('drill.proposal', {label: proposal.label})];
			const start = (operator: string, witness: string, keep: boolean) => {
				attempt(() => session.startDrill(proposal, {operator, witness, keep, language: language === 'ja' ? 'ja' : 'en'}));
			};

			dispatch({type: 'push', overlay: {kind: 'prompt', title: t('drill.operator'), body, onSubmit(operator) {
				// The restored copy is patient data: deleted after the drill unless the technician keeps it (Tab).
				dispatch({type: 'push', overlay: {kind: 'prompt', title: t('drill.witness'), body, toggle: {label: t('drill.keepCopy'), initial: false}, onSubmit(witness, keep) {
					start(operator, witness, keep);
				}}});
			}}});
		};

		const leave = async () => {
			await session.dispose();
			exit();
		};

		return {
			...upkeepIntents({session, dispatch, t, attempt}),
			showError,
			go(view) {
				dispatch({type: 'view', view});
			},
			backup(targets, sources) {
				attempt(() => session.startBackup(targets, sources));
			},
			verify(target, level) {
				attempt(() => session.startVerify(target, level));
			},
			restore(generation, include) {
				attempt(() => session.startRestore(generation.repositoryId, {id: generation.generationId, seq: generation.seq}, include ? [include] : undefined));
			},
			pickForRestore(generation, include) {
				dispatch({type: 'restorePick', pick: {generation, ...(include ? {include} : {})}});
				dispatch({type: 'view', view: 'restore'});
			},
			eject(target) {
				const status = session.target(target);
				const label = status?.label ?? target;
				dispatch({type: 'push', overlay: {
					kind: 'confirm',
					title: t('eject.title', {label}),
					body: [t('eject.body', {label})],
					expect: label,
					onConfirm() {
						attempt(async () => session.eject(target));
					},
				}});
			},
			mount(label) {
				attempt(async () => session.mount(label));
			},
			schedule(plan) {
				const installed = session.snapshot.schedules.find(item => item.plan === plan)?.entries ?? [];
				const backup = installed.find(entry => entry.kind === 'backup');
				dispatch({type: 'push', overlay: {
					kind: 'prompt',
					title: t('schedule.title', {plan}),
					body: [t('schedule.body')],
					initial: backup?.at ?? '02:30',
					toggle: {label: t('schedule.verifyWeekly'), initial: backup ? installed.some(entry => entry.kind === 'verify') : true},
					onSubmit(at, verifyWeekly) {
						attempt(async () => session.installSchedule(plan, at, verifyWeekly));
					},
				}});
			},
			unschedule(plan) {
				const installed = session.snapshot.schedules.find(item => item.plan === plan)?.entries ?? [];
				if (installed.length === 0) {
					showError(new SedaiError('not-found', t('schedule.none', {plan})));
					return;
				}

				dispatch({type: 'push', overlay: {
					kind: 'confirm',
					title: t('schedule.removeTitle', {plan}),
					body: [t('schedule.removeBody', {when: installed.map(entry => entry.when).join(', ')})],
					onConfirm() {
						attempt(async () => session.removeSchedule(plan));
					},
				}});
			},
			storedAway(label) {
				const reason = session.snapshot.targets.find(target => target.label === label)?.record?.offlineReason;
				if (reason === 'ejected' || reason === 'stored') {
					dispatch({type: 'push', overlay: {kind: 'message', title: t('stored.title', {label}), body: [t('stored.already', {label})], level: 'info'}});
					return;
				}

				dispatch({type: 'push', overlay: {
					kind: 'confirm',
					title: t('stored.title', {label}),
					body: [t('stored.body', {label})],
					onConfirm() {
						attempt(async () => session.storedAway(label));
					},
				}});
			},
			newDrill() {
				attempt(async () => {
					const proposal = await session.proposeDrill();
					if (!proposal) {
						throw new SedaiError('not-found', 'No medium with generations is known here: back up first.');
					}

					// Offline: say which cartridge to insert before asking anything.
					if (!proposal.medium) {
						session.startDrill(proposal, {});
					}

					askSignOff(proposal);
				});
			},
			openReport(report) {
				dispatch({type: 'openTab', tab: {kind: 'report', id: `report:${report.medium.id}@${report.startedAt}`, report}});
			},
			openScratch() {
				dispatch({type: 'openTab', tab: {kind: 'scratch', id: 'scratch'}});
			},
			deleteScratch(entry, done) {
				dispatch({type: 'push', overlay: {
					kind: 'confirm',
					title: t('scratch.confirmTitle', {name: entry.name}),
					body: [t('scratch.confirmBody', {size: formatBytes(entry.bytes), path: entry.path})],
					onConfirm() {
						attempt(async () => {
							try {
								await session.deleteScratch([entry.name]);
								session.log.add('ok', {key: 'log.scratchDeleted', params: {name: entry.name, size: formatBytes(entry.bytes)}});
							} finally {
								done();
							}
						});
					},
				}});
			},
			browse(generation) {
				dispatch({type: 'openTab', tab: {kind: 'browse', id: `browse:${generation.repositoryId}:${generation.generationId}`, generation}});
			},
			diff(before, after) {
				dispatch({type: 'openTab', tab: {kind: 'diff', id: `diff:${before.generationId}:${after.generationId}`, before, after}});
			},
			openDrive(name) {
				dispatch({type: 'openTab', tab: {kind: 'drive', id: `drive:${name}`, driveName: name}});
			},
			refresh() {
				attempt(async () => session.refresh({reread: true}));
			},
			cancelJob(id) {
				const job = session.queue.get(id);
				if (job && job.state !== 'running' && job.state !== 'queued') {
					// The question stayed open while the job ended: say so, instead of a y that does nothing.
					dispatch({type: 'push', overlay: {kind: 'message', title: t('cancel.tooLateTitle'), body: [t('cancel.tooLate', {job: jobTitle(job, t), state: t(`job.${job.state}`)})], level: 'info'}});
					return;
				}

				session.queue.cancel(id);
			},
			quit(force = false) {
				if (force || session.queue.active().length === 0) {
					void leave();
					return;
				}

				dispatch({type: 'push', overlay: {kind: 'quit'}});
			},
		};
	}, [session, dispatch, t, language, exit]);
	return <IntentsContext.Provider value={intents}>{children}</IntentsContext.Provider>;
}

export function useIntents(): Intents {
	const intents = useContext(IntentsContext);
	if (!intents) {
		throw new Error('useIntents outside IntentsProvider');
	}

	return intents;
}
