import {Command, CommanderError} from 'commander';
import {isSedaiError, exitCodes, SedaiError} from '../core/errors.js';
import {Output} from './output.js';
import {registerInit} from './commands/init.js';
import {registerBackup} from './commands/backup.js';
import {registerGenerations} from './commands/generations.js';
import {registerLs} from './commands/ls.js';
import {registerDiff} from './commands/diff.js';
import {registerVerify} from './commands/verify.js';
import {registerRestore} from './commands/restore.js';
import {registerUnlock} from './commands/unlock.js';
import {registerDemo} from './commands/demo.js';
import {registerDrives} from './commands/drives.js';
import {registerCartridges} from './commands/cartridges.js';
import {registerEject} from './commands/eject.js';
import {registerProtect} from './commands/protect.js';
import {registerPrune} from './commands/prune.js';
import {registerCompliance} from './commands/compliance.js';
import {registerMonitor} from './commands/monitor.js';
import {registerDrill} from './commands/drill.js';
import {registerScratch} from './commands/scratch.js';
import {registerSchedule} from './commands/schedule.js';
import {registerStatus} from './commands/status.js';
import {registerKey} from './commands/key.js';
import {registerRepair} from './commands/repair.js';

/**
 * The headless CLI: every action as a command with `--json`, meaningful exit codes (0 ok,
 * 1 failure, 2 usage, 3 damage found) and one clear sentence per error, never a stack trace.
 */
export type Runner = (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>;

export const version = '0.1.0';

const runner: Runner = async (json, body) => {
	const output = Output.choose(json);
	try {
		const code = await body(output);
		process.exitCode = code;
	} catch (error) {
		const code = isSedaiError(error) ? error.exitCode : exitCodes.failure;
		output.error(error, code);
		process.exitCode = code;
	}
};

export function buildProgram(): Command {
	const program = new Command();
	program
		.name('sedai')
		.description('Sedai (世代): multi-generation, offline, verified backups for clinics. Run without a command on a terminal for the console.')
		.version(version)
		.showHelpAfterError('(run `sedai help` or `sedai <command> --help` for usage)')
		.exitOverride();
	registerInit(program, runner);
	registerBackup(program, runner);
	registerGenerations(program, runner);
	registerLs(program, runner);
	registerDiff(program, runner);
	registerVerify(program, runner);
	registerRestore(program, runner);
	registerUnlock(program, runner);
	registerDemo(program, runner);
	registerDrives(program, runner);
	registerCartridges(program, runner);
	registerEject(program, runner);
	registerProtect(program, runner);
	registerPrune(program, runner);
	registerCompliance(program, runner);
	registerMonitor(program, runner);
	registerDrill(program, runner);
	registerScratch(program, runner);
	registerSchedule(program, runner);
	registerStatus(program, runner);
	registerKey(program, runner);
	registerRepair(program, runner);
	return program;
}

export async function runCli(argv: string[]): Promise<void> {
	const program = buildProgram();
	const json = argv.includes('--json');
	if (json) {
		// Usage errors become one JSON error line too.
		program.configureOutput({writeErr: () => undefined});
		for (const command of program.commands) {
			command.configureOutput({writeErr: () => undefined});
		}
	}

	try {
		await program.parseAsync(argv, {from: 'user'});
	} catch (error) {
		if (error instanceof CommanderError) {
			if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
				process.exitCode = 0;
				return;
			}

			if (json) {
				const output = new Output('json');
				output.error(new SedaiError('usage', `${error.message.replace(/^error: /, '')} (run \`sedai help\` or \`sedai <command> --help\` for usage).`), exitCodes.usage);
			}

			process.exitCode = exitCodes.usage;
			return;
		}

		throw error;
	}
}
