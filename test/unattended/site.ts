import fs from 'node:fs';
import path from 'node:path';
import {temporaryDirectory} from '../helpers/trees.js';
import {sedai} from '../helpers/cli.js';

/** A temp site for unattended tests: SEDAI_HOME with one plan "nightly" → one plaintext folder target. */
export type Site = {root: string; home: string; source: string; nas: string};

export async function folderSite(extra: Record<string, unknown> = {}): Promise<Site> {
	const root = temporaryDirectory('sedai-unattended-');
	const site = {root, home: path.join(root, 'home'), source: path.join(root, 'ehr'), nas: path.join(root, 'nas')};
	fs.mkdirSync(site.home, {recursive: true});
	fs.mkdirSync(site.source, {recursive: true});
	fs.writeFileSync(path.join(site.source, 'patient-0001.xml'), '<patient id="1">山田 太郎</patient>\n');
	const init = await sedai(['init', '--plaintext', '--label', 'NAS', site.nas], {home: site.home});
	if (init.exitCode !== 0) {
		throw new Error(`sedai init failed: ${init.stderr}`);
	}

	writeSettings(site, extra);
	return site;
}

export function writeSettings(site: Site, extra: Record<string, unknown> = {}): void {
	const settings = {
		site: 'Test clinic',
		sources: [site.source],
		targets: [{name: 'NAS', kind: 'folder', path: site.nas}],
		plans: [{name: 'nightly', targets: ['NAS']}],
		...extra,
	};
	fs.writeFileSync(path.join(site.home, 'settings.json'), JSON.stringify(settings, undefined, '\t'));
}
