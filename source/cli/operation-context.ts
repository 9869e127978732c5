import type {OperationContext} from '../app/operations/context.js';
import {fileJournals} from '../app/operations/journals.js';
import {MediumOpener} from '../app/operations/open.js';
import {Passphrases} from '../app/operations/passphrase.js';
import {SettingsStore} from '../settings/store.js';
import {driveSource} from '../system/drive-source.js';
import {localState} from './context.js';
import type {Output} from './output.js';
import {canPrompt, promptHidden} from './passphrase.js';
import {cancelOnSignals} from './signals.js';

/**
 * The operations' world for one headless command: the site profile (read when first needed),
 * the local memory, this machine's drives, passphrases in the one order with a hidden prompt on
 * a terminal, events to the command's output, journals for `sedai monitor`, Ctrl+C to cancel.
 */
let store: SettingsStore | undefined;

function settings() {
	store ??= new SettingsStore();
	return store.get();
}

/** The one passphrase order, with a hidden prompt when a person is at a terminal. */
export function cliPassphrases(options: {passphraseFile?: string; recoveryKey?: string}): Passphrases {
	return new Passphrases({
		...(options.recoveryKey ? {recoveryKey: options.recoveryKey} : {}),
		...(options.passphraseFile ? {file: options.passphraseFile} : {}),
		siteFile() {
			try {
				return settings().passphraseFile;
			} catch {
				return undefined;
			}
		},
		...(canPrompt() ? {prompt: async ({label}) => ({passphrase: await promptHidden(`Passphrase for "${label}": `)})} : {}),
	});
}

export function cliContext(output: Output, options: {passphraseFile?: string; recoveryKey?: string; cancellable?: boolean} = {}): OperationContext {
	return {
		settings,
		state: localState(),
		drives: driveSource(),
		media: new MediumOpener(cliPassphrases(options)),
		emit: output.onEvent,
		journals: fileJournals(),
		...(options.cancellable === false ? {} : {signal: cancelOnSignals(output)}),
	};
}
