import {childEnvironment} from './child-environment.js';

/**
 * Running an OS tool: bounded in time, never throwing for a non-zero exit, and telling a missing
 * tool apart from a failing one so callers can degrade with a note instead of an error.
 */
export type ToolResult = {
	ok: boolean;
	exitCode: number | undefined;
	stdout: string;
	stderr: string;
	/** The program is not installed (ENOENT). */
	missing: boolean;
	timedOut: boolean;
};

/** Where each tool comes from on Debian/Ubuntu, for "install X" hints. */
const packages: Record<string, string> = {
	smartctl: 'smartmontools',
	lsblk: 'util-linux',
	blkid: 'util-linux',
	losetup: 'util-linux',
	blockdev: 'util-linux',
	mount: 'mount',
	umount: 'mount',
	chattr: 'e2fsprogs',
	lsattr: 'e2fsprogs',
	eject: 'eject',
	udisksctl: 'udisks2',
	sync: 'coreutils',
};

export function installHint(tool: string): string {
	return `${tool} is not installed: apt-get install ${packages[tool] ?? tool}`;
}

export async function runTool(command: string, args: string[], options: {timeoutMs?: number; input?: string} = {}): Promise<ToolResult> {
	// Loaded on first use: commands that never run a tool (most of them) start faster.
	const {execa} = await import('execa');
	const result = await execa(command, args, {
		reject: false,
		timeout: options.timeoutMs ?? 20_000,
		stripFinalNewline: false,
		extendEnv: false,
		env: childEnvironment({LC_ALL: 'C'}),
		...(options.input === undefined ? {stdin: 'ignore' as const} : {input: options.input}),
	});
	const missing = (result as {code?: string}).code === 'ENOENT';
	return {
		ok: result.exitCode === 0 && !result.timedOut,
		exitCode: result.exitCode,
		stdout: typeof result.stdout === 'string' ? result.stdout : '',
		stderr: typeof result.stderr === 'string' ? result.stderr : '',
		missing,
		timedOut: result.timedOut,
	};
}

/** First meaningful line of a tool's complaint, for one-sentence errors. */
export function firstLine(text: string): string {
	return text.split('\n').map(line => line.trim()).find(Boolean) ?? '';
}

export function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}
