import type {SiteCheckResult} from '../report/drill-report.js';
import {SedaiError} from '../core/errors.js';
import {childEnvironment} from './child-environment.js';

export type SiteCheck = {name: string; command: string; timeoutSeconds: number};

/** Only the end of a check's output is kept: the verdict is usually there, and memory stays bounded. */
const keepBytes = 16 * 1024;
const keepLines = 20;
const graceMs = 2000;

function lastLines(text: string): string {
	return text.trimEnd().split('\n').slice(-keepLines).join('\n');
}

/**
 * Run a site's own drill check (`sh -c command`) with the restored folder in SEDAI_RESTORED.
 * Passes on exit 0. At the time limit its whole process group is stopped (TERM, then KILL), so a
 * command's own children do not outlive it.
 */
export async function runSiteCheck(check: SiteCheck, restoredRoot: string, options: {signal?: AbortSignal} = {}): Promise<SiteCheckResult> {
	if (options.signal?.aborted) {
		throw new SedaiError('cancelled', 'The site check was cancelled.');
	}

	if (!(check.timeoutSeconds > 0) || check.command.trim() === '') {
		throw new SedaiError('bad-config', `The drill check "${check.name}" needs a command and a time limit above 0 seconds: fix it under drill.checks in the settings.`);
	}

	const {execa} = await import('execa');
	const started = performance.now();
	const child = execa('sh', ['-c', check.command], {
		reject: false,
		detached: true,
		buffer: false,
		all: true,
		stdin: 'ignore',
		cwd: restoredRoot,
		extendEnv: false,
		env: childEnvironment({SEDAI_RESTORED: restoredRoot}),
	});
	let tail = '';
	child.all?.on('data', (chunk: Buffer) => {
		tail = (tail + chunk.toString('utf8')).slice(-keepBytes);
	});
	let timedOut = false;
	const killGroup = (signal: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// Already gone.
		}
	};

	const stopGroup = () => {
		killGroup('SIGTERM');
		setTimeout(() => {
			killGroup('SIGKILL');
		}, graceMs).unref();
	};

	const timer = setTimeout(() => {
		timedOut = true;
		stopGroup();
	}, check.timeoutSeconds * 1000);
	options.signal?.addEventListener('abort', stopGroup, {once: true});
	const result = await child;
	clearTimeout(timer);
	options.signal?.removeEventListener('abort', stopGroup);
	killGroup('SIGKILL');
	if (options.signal?.aborted) {
		throw new SedaiError('cancelled', 'The site check was cancelled.');
	}

	const exitCode = typeof result.exitCode === 'number' ? result.exitCode : undefined;
	return {
		name: check.name,
		ok: !timedOut && exitCode === 0,
		...(exitCode === undefined ? {} : {exitCode}),
		output: lastLines(tail),
		durationMs: Math.round(performance.now() - started),
		timedOut,
	};
}
