import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The demo world's drive bays (see the demo layout): `bays/<NAME>/drive.json` holds the facts a
 * real drive would report, `bays/<NAME>/media/` is its filesystem. An ejected cartridge sits in
 * `shelf/<NAME>/`.
 */
export type DemoDriveFacts = {
	model?: string;
	serial?: string;
	transport?: string;
	size?: number;
	removable?: boolean;
	writeProtected?: boolean;
	/** A file under test/fixtures/smartctl (name, with or without .json), or a path. */
	smartFixture?: string;
	fsType?: string;
	label?: string;
};

export function demoDir(): string | undefined {
	const directory = process.env['SEDAI_DEMO_DIR'];
	return directory ? path.resolve(directory) : undefined;
}

export function baysDir(demo: string): string {
	return path.join(demo, 'bays');
}

export function shelfDir(demo: string): string {
	return path.join(demo, 'shelf');
}

export async function readFacts(bay: string): Promise<DemoDriveFacts> {
	try {
		return JSON.parse(await fs.readFile(path.join(bay, 'drive.json'), 'utf8')) as DemoDriveFacts;
	} catch {
		return {};
	}
}

/** The bay folder a path lives in, when the demo is on and the path is inside a bay. */
export function bayOf(target: string): string | undefined {
	const demo = demoDir();
	if (!demo) {
		return undefined;
	}

	const relative = path.relative(baysDir(demo), path.resolve(target));
	if (relative.startsWith('..') || path.isAbsolute(relative) || relative === '') {
		return undefined;
	}

	return path.join(baysDir(demo), relative.split(path.sep)[0]);
}
