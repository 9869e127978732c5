import fs from 'node:fs/promises';
import path from 'node:path';
import type {ExecutionContext} from 'ava';
import {assessCompliance} from '../../../source/app/operations/compliance.js';
import type {OperationContext} from '../../../source/app/operations/context.js';
import {noJournals} from '../../../source/app/operations/journals.js';
import {initMedium} from '../../../source/app/operations/media-actions.js';
import {MediumOpener} from '../../../source/app/operations/open.js';
import {Passphrases} from '../../../source/app/operations/passphrase.js';
import {runBackup} from '../../../source/core/jobs/backup.js';
import type {ComplianceCheckId} from '../../../source/core/policy/compliance.js';
import type {Repository} from '../../../source/core/repository/repository.js';
import type {DrillReport} from '../../../source/report/drill-report.js';
import {rememberRepository} from '../../../source/settings/remember.js';
import {SettingsStore} from '../../../source/settings/store.js';
import {StateStore} from '../../../source/settings/state.js';
import {driveSource} from '../../../source/system/drive-source.js';
import {renderMessage} from '../../../source/text/messages/render.js';
import {temporaryDirectory} from '../../helpers/trees.js';
import {removeProtected} from './cleanup.js';

/**
 * A site for compliance tests: its own settings and local state in a temp folder, the
 * operations' real context over them, and media made by the real engine (init, backups).
 */
export const passphrase = 'correct horse battery';

export type Site = {work: string; home: string; settings: SettingsStore; state: StateStore; context: OperationContext; clinic: string};

export async function makeSite(t: ExecutionContext): Promise<Site> {
	const work = temporaryDirectory('sedai-compliance-');
	t.teardown(async () => removeProtected(work));
	const home = path.join(work, 'home');
	const clinic = path.join(work, 'clinic');
	await fs.mkdir(clinic, {recursive: true});
	await fs.writeFile(path.join(clinic, 'karte-0001.txt'), '血圧 120/80\n');
	const settings = new SettingsStore(home);
	const state = new StateStore(home);
	const context: OperationContext = {
		settings: () => settings.get(),
		state,
		drives: driveSource(),
		media: new MediumOpener(new Passphrases({environment: {SEDAI_PASSPHRASE: passphrase}})),
		emit: () => undefined,
		journals: noJournals,
	};
	return {work, home, settings, state, context, clinic};
}

/** A repository made by `init` (the operation), holding `generations` backups of the clinic folder. */
export async function medium(site: Site, root: string, label: string, options: {removable?: boolean; generations?: number; encrypted?: boolean} = {}): Promise<Repository> {
	// Plaintext unless asked: key derivation on a shared machine is slow, and sealing works either way.
	const end = await initMedium(site.context, {root, label, ...(options.encrypted ? {passphrase} : {}), ...(options.removable === undefined ? {} : {removable: options.removable})});
	if (end.failure) {
		throw end.failure;
	}

	const repository = await site.context.media.openAt(root);
	for (let i = 0; i < (options.generations ?? 3); i++) {
		await fs.writeFile(path.join(site.clinic, `visit-${label}-${i}.txt`), `visit ${i}\n`);
		await runBackup(repository, {sources: [site.clinic]});
	}

	await rememberRepository(site.state, repository);
	return repository;
}

export type CheckView = {pass: boolean; evidence: string; action: string};

/** One check of the real assessment, in English. */
export async function check(site: Site, id: ComplianceCheckId, now = new Date()): Promise<CheckView> {
	const report = await assessCompliance(site.context, {now});
	const found = report.checks.find(item => item.id === id)!;
	return {pass: found.pass, evidence: found.evidence.map(line => renderMessage(line, 'en')).join('\n'), action: found.action ? renderMessage(found.action, 'en') : ''};
}

/** A drill report as the drill operation seals it on the medium (schema version 1). */
export function drillReport(repository: Repository, generation: {id: string; seq: number; time: string}, finishedAt: Date, passed: boolean): DrillReport {
	const startedAt = new Date(finishedAt.getTime() - 60_000).toISOString();
	return {
		version: 1,
		language: 'en',
		site: 'Clinic',
		startedAt,
		finishedAt: finishedAt.toISOString(),
		operator: 'Sato',
		witness: 'Suzuki',
		note: '',
		medium: {label: repository.label, id: repository.id, kind: 'rdx', smart: {verdict: 'passed'}},
		generation: {...generation, ageMs: 0},
		chain: {ok: true},
		verification: {ok: passed, filesChecked: 3, bytesChecked: 30, mismatches: passed ? [] : [{path: 'karte-0001.txt', problem: 'content differs'}]},
		restored: {files: 3, bytes: 30},
		liveComparison: {sampled: 0, identical: 0, changed: 0, missing: 0, samples: []},
		applicationChecks: {databases: {available: false, reason: 'no-dumps', databases: []}, site: []},
		steps: [{id: 'restore', status: 'passed', durationMs: 1000}, {id: 'verify', status: passed ? 'passed' : 'failed', durationMs: 500}],
		totalMs: 60_000,
		verdict: {passed, reasons: passed ? [] : [{code: 'byte-mismatch'}]},
	};
}
