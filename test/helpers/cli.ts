import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';

/** Runs the real, built `sedai` binary (npm test builds dist/ first). */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliResult = {
	exitCode: number;
	stdout: string;
	stderr: string;
	/** Parsed JSON lines (when --json was given). */
	lines: Array<Record<string, unknown>>;
	summary: Record<string, unknown> | undefined;
};

export type CliOptions = {env?: Record<string, string | undefined>; home: string; passphrase?: string; cwd?: string};

function environment(options: CliOptions): Record<string, string | undefined> {
	return {
		SEDAI_HOME: options.home,
		SEDAI_PASSPHRASE: options.passphrase ?? 'correct horse battery',
		NO_COLOR: '1',
		...options.env,
	};
}

export function parseLines(stdout: string): Array<Record<string, unknown>> {
	return stdout.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>);
}

export async function sedai(args: string[], options: CliOptions): Promise<CliResult> {
	const result = await execa('node', [cliPath, ...args], {env: environment(options), reject: false, cwd: options.cwd, stdin: 'ignore'});
	const lines = args.includes('--json') ? parseLines(result.stdout) : [];
	return {
		exitCode: result.exitCode ?? -1,
		stdout: result.stdout,
		stderr: result.stderr,
		lines,
		summary: lines.findLast(line => line['type'] === 'summary'),
	};
}

/** Start without waiting, for killing it mid-way. */
export function sedaiProcess(args: string[], options: CliOptions): ResultPromise {
	return execa('node', [cliPath, ...args], {env: environment(options), reject: false, cwd: options.cwd, stdin: 'ignore'});
}
