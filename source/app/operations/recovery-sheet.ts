import {formatRecoveryKey} from '../../core/repository/recovery-key.js';

/**
 * The printed recovery sheet: plain text (no QR code) that a clinic prints once and keeps in
 * its safe. It says which repository it opens and how, so whoever finds it years later can act.
 */
export type RecoverySheetFacts = {site?: string; label: string; repositoryId: string; slot: string; date: Date};

export function recoverySheet(facts: RecoverySheetFacts, recoveryKey: string): string[] {
	const key = formatRecoveryKey(recoveryKey).split('-');
	const example = `sedai key add --repo REPOSITORY --recovery-key ${key.join('-')}`;
	return [
		'==================== SEDAI RECOVERY SHEET ====================',
		'Keep this sheet in the safe. Anyone holding it can read this backup.',
		'',
		`Site:           ${facts.site ?? '(not set)'}`,
		`Cartridge:      ${facts.label}`,
		`Repository id:  ${facts.repositoryId}`,
		`Key slot:       ${facts.slot}`,
		`Made on:        ${facts.date.toISOString().slice(0, 10)}`,
		'',
		'Recovery key:',
		`    ${key.slice(0, 4).join('-')}`,
		`    ${key.slice(4).join('-')}`,
		'',
		'How to use it when the passphrase is lost:',
		'  1. Connect the cartridge and find its folder (sedai drives).',
		'  2. Give the key instead of the passphrase to any command, e.g.',
		'       sedai restore --repo REPOSITORY --recovery-key KEY ...',
		'     or set SEDAI_RECOVERY_KEY=KEY in the environment.',
		'  3. Set a new passphrase with the key:',
		`       ${example}`,
		'  Letters may be typed in any case, with or without the dashes.',
		'==============================================================',
	];
}
