import fs from 'node:fs';
import path from 'node:path';
import {processStartTicks} from '../settings/job-journal.js';
import {sedaiHome} from '../settings/store.js';
import {demoWorld, type DemoWorld} from './world.js';

/**
 * How `sedai monitor` finds the demo without SEDAI_HOME: `sedai demo` leaves a note naming its
 * console process while it runs. The monitor follows the demo while that console is alive, or
 * when this machine has no site of its own (no settings file) and a demo world exists.
 */
const noteName = 'console.pid';

/** Note this process as the demo's console; returns the function that takes the note away. */
export function noteDemoConsole(world: DemoWorld): () => void {
	const note = path.join(world.root, noteName);
	try {
		fs.writeFileSync(note, `${process.pid} ${processStartTicks('self') ?? ''}\n`);
	} catch {
		// Only the monitor's guess suffers.
	}

	return () => {
		fs.rmSync(note, {force: true});
	};
}

export function demoConsoleRunning(world: DemoWorld): boolean {
	try {
		const [pid, ticks] = fs.readFileSync(path.join(world.root, noteName), 'utf8').trim().split(' ');
		// The pid alone could be a new process that got the number: its start time must match.
		return Boolean(pid) && processStartTicks(Number(pid)) === ticks;
	} catch {
		return false;
	}
}

/** The demo's home for the monitor to follow, or undefined to watch the site's own. */
export function demoHomeToFollow(environment: NodeJS.ProcessEnv = process.env): string | undefined {
	if (environment['SEDAI_HOME']) {
		return undefined;
	}

	const world = demoWorld();
	if (!fs.existsSync(path.join(world.root, 'world.json'))) {
		return undefined;
	}

	const ownSite = fs.existsSync(path.join(sedaiHome(), 'settings.json'));
	return demoConsoleRunning(world) || !ownSite ? world.home : undefined;
}
