import type {Command} from 'commander';
import {SedaiError, exitCodes} from '../../core/errors.js';
import {scheduleInstall, scheduleList, scheduleRemove, type ScheduleLocations as Locations} from '../../app/operations/schedule.js';
import type {Runner} from '../main.js';
import {cliContext} from '../operation-context.js';

/** `sedai schedule install|list|remove`: the nightly plan run by a systemd timer (or cron). */
type LocationOptions = {unitDir?: string; cronDir?: string; json?: boolean};
type InstallOptions = LocationOptions & {plan: string; at: string; verifyFull?: string};

function locations(options: LocationOptions): Locations {
	return {...(options.unitDir ? {unitDirectory: options.unitDir} : {}), ...(options.cronDir ? {cronDirectory: options.cronDir} : {})};
}

/** "2026-12-03 02:30" in this machine's zone, as systemd and cron read the calendar. */
function localTime(iso: string): string {
	const date = new Date(iso);
	const two = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

function withLocations(command: Command): Command {
	return command
		.option('--unit-dir <dir>', 'where the systemd units go (default /etc/systemd/system, which also enables them)')
		.option('--cron-dir <dir>', 'where the cron file goes when systemd is absent (default /etc/cron.d)')
		.option('--json', 'machine-readable output, one JSON object per line');
}

function registerInstall(schedule: Command, run: Runner): void {
	withLocations(schedule.command('install')
		.description('run a plan every night (systemd timer, or cron where systemd is absent)')
		.requiredOption('--plan <name>', 'the backup plan to run')
		.requiredOption('--at <HH:MM>', 'time of day, 24 h, local time')
		.option('--verify-full <period>', '"weekly": also re-read every byte of the plan\'s folder targets on Sundays'))
		.action(async (options: InstallOptions) => run(options.json, async output => {
			if (options.verifyFull !== undefined && options.verifyFull !== 'weekly') {
				throw new SedaiError('usage', `--verify-full ${options.verifyFull} is not a period Sedai knows: use --verify-full weekly.`);
			}

			const result = await scheduleInstall(cliContext(output, {cancellable: false}), {plan: options.plan, at: options.at, verifyWeekly: options.verifyFull === 'weekly', locations: locations(options)});
			const how = {
				systemd: `enabled ${result.enabled.join(', ')}`,
				cron: 'written as a cron line',
				'unit-files': 'unit files written (not enabled: not the system unit folder)',
			}[result.mechanism];
			output.summary({ok: true, ...result}, [
				...result.notes,
				...result.files.map(file => `wrote ${file}`),
				`Plan "${result.plan}" runs every night at ${result.at}: ${how}.`,
			]);
			return exitCodes.ok;
		}));
}

function registerList(schedule: Command, run: Runner): void {
	withLocations(schedule.command('list').description('show the installed schedules and their next run'))
		.action(async (options: LocationOptions) => run(options.json, async output => {
			const entries = await scheduleList(cliContext(output, {cancellable: false}), locations(options));
			for (const entry of entries) {
				output.record('schedule', entry);
			}

			output.summary({ok: true, schedules: entries}, entries.length === 0
				? ['No schedule installed: add one with `sedai schedule install --plan NAME --at 02:30`.']
				: entries.map(entry => `${entry.plan}  ${entry.kind}  ${entry.mechanism}  ${entry.when}${entry.nextRun ? `  next ${localTime(entry.nextRun)}` : ''}  ${entry.files.join(' ')}`));
			return exitCodes.ok;
		}));
}

function registerRemove(schedule: Command, run: Runner): void {
	withLocations(schedule.command('remove').description('stop and delete a plan\'s schedule').requiredOption('--plan <name>', 'the plan'))
		.action(async (options: LocationOptions & {plan: string}) => run(options.json, async output => {
			const files = await scheduleRemove(cliContext(output, {cancellable: false}), {plan: options.plan, locations: locations(options)});
			output.summary({ok: true, plan: options.plan, removed: files}, [...files.map(file => `removed ${file}`), `Plan "${options.plan}" is no longer scheduled.`]);
			return exitCodes.ok;
		}));
}

export function registerSchedule(program: Command, run: Runner): void {
	const schedule = program.command('schedule').description('run backup plans unattended every night');
	registerInstall(schedule, run);
	registerList(schedule, run);
	registerRemove(schedule, run);
}
