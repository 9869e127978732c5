import fs from 'node:fs/promises';
import path from 'node:path';
import {SedaiError} from '../../core/errors.js';
import {runTool} from '../run-tool.js';
import {defaultCronDirectory, defaultUnitDirectory} from './install-schedule.js';
import {systemdRunning, unitNames} from './unit-names.js';
import {parseSystemdTime} from './next-run.js';

/** `sedai schedule list|remove`: what is installed, read back from the files themselves. */
export type ScheduleEntry = {
	plan: string;
	kind: 'backup' | 'verify';
	mechanism: 'systemd' | 'cron';
	/** "HH:MM" the job was installed for. */
	at: string;
	/** OnCalendar= of the timer, or the cron fields. */
	when: string;
	files: string[];
	/** Next elapse (ISO) as systemd tells it (only with a running systemd and the real unit folder). */
	next?: string;
};

export type Locations = {unitDirectory?: string; cronDirectory?: string};

const mark = (text: string, key: string): string | undefined => new RegExp(`^#? ?X-Sedai-${key}=(.*)$`, 'mu').exec(text)?.[1];

async function readDirectory(directory: string): Promise<string[]> {
	return fs.readdir(directory).catch(() => []);
}

async function nextElapse(timer: string): Promise<string | undefined> {
	// UTC: a local zone's abbreviation ("JST") is not something Date can be trusted to read.
	const result = await runTool('systemctl', ['show', timer, '--property=NextElapseUSecRealtime', '--value', '--timestamp=utc'], {timeoutMs: 10_000});
	return result.ok ? parseSystemdTime(result.stdout)?.toISOString() : undefined;
}

async function timerEntries(directory: string, live: boolean): Promise<ScheduleEntry[]> {
	const entries: ScheduleEntry[] = [];
	for (const name of (await readDirectory(directory)).filter(file => /^sedai-(backup|verify)-.+\.timer$/u.test(file)).sort()) {
		const file = path.join(directory, name);
		const text = await fs.readFile(file, 'utf8').catch(() => '');
		const plan = mark(text, 'Plan');
		if (!plan) {
			continue;
		}

		const kind = mark(text, 'Kind') === 'verify' ? 'verify' : 'backup';
		const next = live ? await nextElapse(name) : undefined;
		entries.push({
			plan,
			kind,
			mechanism: 'systemd',
			at: mark(text, 'At') ?? '?',
			when: /^OnCalendar=(.*)$/mu.exec(text)?.[1] ?? '?',
			files: [file, file.replace(/\.timer$/u, '.service')],
			...(next ? {next} : {}),
		});
	}

	return entries;
}

async function cronEntries(directory: string): Promise<ScheduleEntry[]> {
	const entries: ScheduleEntry[] = [];
	for (const name of (await readDirectory(directory)).filter(file => file.startsWith('sedai-')).sort()) {
		const file = path.join(directory, name);
		const text = await fs.readFile(file, 'utf8').catch(() => '');
		const plan = mark(text, 'Plan');
		const lines = text.split('\n').filter(line => /^\d/u.test(line));
		for (const line of plan ? lines : []) {
			const verify = line.includes(' verify --full ');
			entries.push({plan: plan!, kind: verify ? 'verify' : 'backup', mechanism: 'cron', at: mark(text, 'At') ?? '?', when: line.split(' ').slice(0, 5).join(' '), files: [file]});
		}
	}

	return entries;
}

export async function listSchedules(locations: Locations = {}): Promise<ScheduleEntry[]> {
	const unitDirectory = locations.unitDirectory ?? defaultUnitDirectory;
	const live = path.resolve(unitDirectory) === defaultUnitDirectory && await systemdRunning();
	return [...await timerEntries(unitDirectory, live), ...await cronEntries(locations.cronDirectory ?? defaultCronDirectory)];
}

/** Stop and delete a plan's timers (and cron file). Returns the files removed. */
export async function removeSchedule(plan: string, locations: Locations = {}): Promise<string[]> {
	const unitDirectory = locations.unitDirectory ?? defaultUnitDirectory;
	const entries = (await listSchedules(locations)).filter(entry => entry.plan === plan);
	if (entries.length === 0) {
		throw new SedaiError('not-found', `No schedule is installed for the plan "${plan}": \`sedai schedule list\` shows what is.`);
	}

	const live = path.resolve(unitDirectory) === defaultUnitDirectory && await systemdRunning();
	const names = unitNames(plan);
	if (live) {
		await runTool('systemctl', ['disable', '--now', names.backupTimer, names.verifyTimer], {timeoutMs: 60_000});
	}

	const files = [...new Set(entries.flatMap(entry => entry.files))];
	for (const file of files) {
		await fs.rm(file, {force: true});
	}

	if (live) {
		await runTool('systemctl', ['daemon-reload'], {timeoutMs: 60_000});
	}

	return files;
}
