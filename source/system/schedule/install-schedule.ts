import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError} from '../../core/errors.js';
import {firstLine, runTool} from '../run-tool.js';
import {runSpec, type ScheduleSettings} from './run-spec.js';
import {cronLine, dailyCalendar, formatClock, serviceText, timerText, unitSlug, weeklyCalendar, weeklyVerifyTime, type ClockTime, type RunSpec} from './unit-text.js';
import {systemdRunning, unitNames, type UnitNames} from './unit-names.js';

/**
 * `sedai schedule install`: a systemd service and timer per plan (and a weekly full
 * verification), or, where systemd does not run, a line in /etc/cron.d. Into the real unit
 * folder it also reloads systemd and starts the timer; into another folder (a test, a package
 * build) it only writes the files.
 */
export const defaultUnitDirectory = '/etc/systemd/system';
export const defaultCronDirectory = '/etc/cron.d';

export type InstallRequest = {
	plan: string;
	at: ClockTime;
	verifyWeekly: boolean;
	unitDirectory?: string;
	cronDirectory?: string;
	settings: ScheduleSettings;
};

export type InstallResult = {
	plan: string;
	at: string;
	mechanism: 'systemd' | 'cron' | 'unit-files';
	files: string[];
	/** Set when systemd was reloaded and the timers started. */
	enabled: string[];
	/** What could not be scheduled, one sentence each. */
	notes: string[];
};

/** The weekly full verification: one `sedai verify --full` per folder target of the plan. */
function verifyRuns(request: InstallRequest): {runs: RunSpec[]; notes: string[]} {
	const plan = request.settings.plans?.find(candidate => candidate.name === request.plan);
	const targets = (plan?.targets ?? []).map(name => request.settings.targets?.find(target => target.name === name)).filter(target => target !== undefined);
	const folders = targets.filter(target => target.kind === 'folder' && target.path);
	const cartridges = targets.filter(target => target.kind !== 'folder');
	const notes = cartridges.length > 0 ? [`The weekly full verification covers the folder targets only: verify cartridge(s) ${cartridges.map(target => target.name).join(', ')} with \`sedai verify --full --repo PATH\` while they are inserted.`] : [];
	const runs = folders.map(target => runSpec(request.settings, request.plan, ['verify', '--full', '--repo', path.resolve(target.path!), '--json']));
	return {runs, notes};
}

function checkPlan(request: InstallRequest): void {
	const names = (request.settings.plans ?? []).map(plan => plan.name);
	if (!names.includes(request.plan)) {
		throw new SedaiError('usage', `There is no backup plan "${request.plan}"${names.length > 0 ? ` (plans: ${names.join(', ')})` : ''}: define it in the settings before scheduling it.`);
	}
}

async function writeFile(file: string, text: string): Promise<void> {
	try {
		await fs.mkdir(path.dirname(file), {recursive: true});
		await fs.writeFile(`${file}.tmp`, text, {mode: 0o644});
		await fs.rename(`${file}.tmp`, file);
	} catch (error) {
		throw new SedaiError('io', `Cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): run as root, or pass --unit-dir to a folder you can write.`);
	}
}

async function systemctl(args: string[]): Promise<void> {
	const result = await runTool('systemctl', args, {timeoutMs: 60_000});
	if (!result.ok) {
		throw new SedaiError(result.missing ? 'tool-missing' : 'io', result.missing ? 'systemctl is not installed although systemd runs: install systemd.' : `systemctl ${args.join(' ')} failed: ${firstLine(result.stderr) || `exit ${result.exitCode}`}.`);
	}
}

async function installUnits(request: InstallRequest, names: UnitNames, directory: string, verify: RunSpec[]): Promise<string[]> {
	const at = formatClock(request.at);
	const files: string[] = [];
	const backup = runSpec(request.settings, request.plan, ['backup', '--plan', request.plan, '--json']);
	const marks = {plan: request.plan, at, kind: 'backup' as const};
	const write = async (name: string, text: string): Promise<void> => {
		const file = path.join(directory, name);
		await writeFile(file, text);
		files.push(file);
	};

	await write(names.backupService, serviceText(`Sedai backup plan ${request.plan}`, backup, marks));
	await write(names.backupTimer, timerText(`Sedai backup plan ${request.plan} every night at ${at}`, names.backupService, dailyCalendar(request.at), marks));
	if (verify.length > 0) {
		const verifyAt = weeklyVerifyTime(request.at);
		const verifyMarks = {plan: request.plan, at: formatClock(verifyAt), kind: 'verify' as const};
		// Several ExecStart= lines in a oneshot service run one after the other.
		const [first = '', ...rest] = verify.map(run => serviceText(`Sedai weekly full verification for plan ${request.plan}`, run, verifyMarks));
		const extra = rest.map(text => text.split('\n').find(line => line.startsWith('ExecStart='))!);
		await write(names.verifyService, first.replace(/^ExecStart=.*$/mu, line => [line, ...extra].join('\n')));
		await write(names.verifyTimer, timerText(`Sedai weekly full verification for plan ${request.plan}, Sundays at ${formatClock(verifyAt)}`, names.verifyService, weeklyCalendar(verifyAt), verifyMarks));
	}

	return files;
}

async function installCron(request: InstallRequest, directory: string, verify: RunSpec[]): Promise<string> {
	const backup = runSpec(request.settings, request.plan, ['backup', '--plan', request.plan, '--json']);
	const verifyAt = weeklyVerifyTime(request.at);
	const lines = [
		'# Written by `sedai schedule install`; remove with `sedai schedule remove`.',
		`# X-Sedai-Plan=${request.plan}`,
		`# X-Sedai-At=${formatClock(request.at)}`,
		cronLine(`${request.at.minute} ${request.at.hour} * * *`, backup),
		...verify.map(run => cronLine(`${verifyAt.minute} ${verifyAt.hour} * * 0`, run)),
		'',
	];
	const file = path.join(directory, `sedai-${unitSlug(request.plan)}`);
	await writeFile(file, lines.join('\n'));
	return file;
}

export async function installSchedule(request: InstallRequest): Promise<InstallResult> {
	checkPlan(request);
	const names = unitNames(request.plan);
	const {runs: verify, notes} = request.verifyWeekly ? verifyRuns(request) : {runs: [], notes: []};
	if (request.verifyWeekly && verify.length === 0) {
		notes.push('No weekly full verification was scheduled: the plan has no folder target whose path is known.');
	}

	const at = formatClock(request.at);
	const unitDirectory = request.unitDirectory ?? defaultUnitDirectory;
	const real = path.resolve(unitDirectory) === defaultUnitDirectory;
	if (real && !(await systemdRunning())) {
		const file = await installCron(request, request.cronDirectory ?? defaultCronDirectory, verify);
		return {plan: request.plan, at, mechanism: 'cron', files: [file], enabled: [], notes: ['systemd is not running here: a cron line was written instead.', ...notes]};
	}

	const files = await installUnits(request, names, unitDirectory, verify);
	if (!real) {
		return {plan: request.plan, at, mechanism: 'unit-files', files, enabled: [], notes};
	}

	const timers = files.filter(file => file.endsWith('.timer')).map(file => path.basename(file));
	await systemctl(['daemon-reload']);
	await systemctl(['enable', '--now', ...timers]);
	return {plan: request.plan, at, mechanism: 'systemd', files, enabled: timers, notes};
}
