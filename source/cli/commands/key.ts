import type {Command} from 'commander';
import {addKey, addRecoveryKey, changePassphrase, listKeys, removeKey, type KeyChangeResult} from '../../app/operations/keys.js';
import {recoverySheet} from '../../app/operations/recovery-sheet.js';
import type {KeySlotInfo} from '../../core/repository/key-slots.js';
import {newRecoveryKey} from '../../core/repository/recovery-key.js';
import {requireRepo, type RepositoryOptions} from '../context.js';
import {finish} from '../finish.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';
import {newSlotPassphrase} from '../passphrase.js';

type Options = RepositoryOptions & {newPassphraseFile?: string; slot?: string};

function slotLine(slot: KeySlotInfo): string {
	return `${slot.id}  ${slot.kind.padEnd(10)}  added ${slot.addedKnown ? slot.added : `before ${slot.added} (with the repository)`}  scrypt N=2^${Math.log2(slot.scryptN)} r=${slot.scryptR} p=${slot.scryptP}`;
}

function changeLines(result: KeyChangeResult): string[] {
	return [
		...(result.added ? [`Added key slot ${result.added.id} to "${result.label}".`] : []),
		...(result.removed ? [`Removed key slot ${result.removed} from "${result.label}".`] : []),
		`Key slots now: ${result.slots.map(slot => slot.id).join(', ')}.`,
	];
}

/** Options shared by every `sedai key` subcommand: which repository and how to open it. */
function common(command: Command): Command {
	return command
		.option('--repo <repo>', 'repository folder')
		.option('--passphrase-file <file>', 'read the current passphrase from a file')
		.option('--recovery-key <key>', 'open with the recovery key from the recovery sheet (or set SEDAI_RECOVERY_KEY)')
		.option('--json', 'machine-readable output, one JSON object per line');
}

export function registerKey(program: Command, run: Runner): void {
	const key = program.command('key').description('manage the passphrases (key slots) of an encrypted repository');
	common(key.command('list').description('list the key slots with their ids and when each was added'))
		.action(async (options: Options) => run(options.json, async output => {
			const end = await listKeys(cliContext(output, {cancellable: false}), {repo: requireRepo(options)});
			return finish(output, end, result => {
				for (const slot of result.slots) {
					output.record('slot', slot);
				}

				return {
					data: {ok: true, label: result.label, repositoryId: result.repositoryId, encrypted: result.encrypted, slots: result.slots.length},
					human: result.encrypted ? [`"${result.label}" has ${result.slots.length} key slot(s):`, ...result.slots.map(slot => `  ${slotLine(slot)}`)] : [`"${result.label}" is not encrypted: it has no key slots.`],
				};
			});
		}));
	common(key.command('add').description('add a passphrase (a new key slot); the current one keeps working'))
		.option('--new-passphrase-file <file>', 'read the new passphrase from a file (mode 600); else asked twice')
		.action(async (options: Options) => run(options.json, async output => {
			const repo = requireRepo(options);
			const newPassphrase = await newSlotPassphrase(options);
			const end = await addKey(cliContext(output, {...options, cancellable: false}), {repo, newPassphrase});
			return finish(output, end, result => ({data: {ok: true, ...result}, human: changeLines(result)}));
		}));
	common(key.command('remove').description('remove a key slot (never the last one, nor the one you opened with)'))
		.requiredOption('--slot <id>', 'the slot to remove (see `sedai key list`)')
		.action(async (options: Options) => run(options.json, async output => {
			const end = await removeKey(cliContext(output, {...options, cancellable: false}), {repo: requireRepo(options), slot: options.slot!});
			return finish(output, end, result => ({data: {ok: true, ...result}, human: changeLines(result)}));
		}));
	common(key.command('passwd').description('replace the passphrase you open with by a new one'))
		.option('--new-passphrase-file <file>', 'read the new passphrase from a file (mode 600); else asked twice')
		.action(async (options: Options) => run(options.json, async output => {
			const repo = requireRepo(options);
			const newPassphrase = await newSlotPassphrase(options);
			const end = await changePassphrase(cliContext(output, {...options, cancellable: false}), {repo, newPassphrase});
			return finish(output, end, result => ({data: {ok: true, ...result}, human: [...changeLines(result), 'Use the new passphrase from now on; the old one no longer opens this repository.']}));
		}));
	common(key.command('recovery-sheet').description('add a one-time recovery key and print the sheet to keep in the safe'))
		.action(async (options: Options) => run(options.json, async output => {
			const recoveryKey = newRecoveryKey();
			const end = await addRecoveryKey(cliContext(output, {...options, cancellable: false}), {repo: requireRepo(options), recoveryKey});
			return finish(output, end, result => {
				const sheet = recoverySheet({...(result.site ? {site: result.site} : {}), label: result.label, repositoryId: result.repositoryId, slot: result.added!.id, date: new Date()}, recoveryKey);
				return {data: {ok: true, ...result, recoveryKey, sheet: sheet.join('\n')}, human: [...sheet, '', `Print this sheet now: the key is shown only once. Added key slot ${result.added!.id}.`]};
			});
		}));
}
