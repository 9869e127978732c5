import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {isSea} from 'node:sea';
import {sedaiHome} from '../../settings/store.js';
import type {RunSpec} from './unit-text.js';

/**
 * How a unit or cron line runs this very Sedai: the one-file executable when running from it,
 * else the absolute node binary and the absolute dist/cli.js (no PATH lookups at 2 a.m.).
 */
export function sedaiArgv(): string[] {
	if (isSea()) {
		return [process.execPath];
	}

	const script = process.argv[1];
	if (!script) {
		return [process.execPath];
	}

	return [process.execPath, fs.realpathSync(script)];
}

/** The parts of the site settings a schedule needs (the settings object itself fits). */
export type ScheduleSettings = {sources?: string[]; targets?: Array<{name: string; kind: string; path?: string}>; plans?: Array<{name: string; targets: string[]; sources?: string[]}>};

/** Where cartridges get mounted (by the desktop, by hand, or by Sedai itself). */
const mountRoots = ['/media', '/mnt', '/run/media', '/run/sedai'];
const homeRoots = ['/home', '/root', '/run/user'];

function below(child: string, parent: string): boolean {
	const relative = path.relative(parent, child);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** What a plan run must be able to write, and whether home folders must stay readable. */
export function runSpec(settings: ScheduleSettings, plan: string, args: string[]): RunSpec {
	const home = sedaiHome();
	const folders = (settings.targets ?? []).filter(target => target.kind === 'folder' && target.path).map(target => path.resolve(target.path!));
	const sources = settings.plans?.find(candidate => candidate.name === plan)?.sources ?? settings.sources ?? [];
	const written = [home, ...folders];
	// "-": a NAS share that is not mounted tonight must not stop the service from starting.
	const readWritePaths = [...new Set([home, ...[...folders, ...mountRoots].map(where => `-${where}`)])];
	const used = [...written, ...sources.map(source => path.resolve(source))];
	const touchesHome = used.some(where => homeRoots.some(root => below(where, root)));
	// A private /tmp would hide data kept below /tmp (a test, a scratch site) from the service.
	const touchesTmp = used.some(where => below(where, '/tmp') || below(where, '/var/tmp'));
	const environment: Record<string, string> = process.env['SEDAI_HOME'] ? {SEDAI_HOME: home} : {};
	const demo = process.env['SEDAI_DEMO_DIR'];
	if (demo) {
		// The demo's own schedule: its cartridges are files in the demo's bays.
		environment['SEDAI_DEMO_DIR'] = path.resolve(demo);
	}

	return {argv: [...sedaiArgv(), ...args], environment, readWritePaths, protectHome: touchesHome ? 'read-only' : 'yes', privateTmp: !touchesTmp};
}
