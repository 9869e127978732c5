import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {isSedaiError} from '../../source/core/errors.js';
import {defaultSettings, type SiteSettings} from '../../source/settings/schema.js';
import {SettingsStore} from '../../source/settings/store.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** The site profile through the real store and real files: defaults, rejections, nothing saved. */
type Site = {home: string; clinic: string; xray: string; store: SettingsStore; file: string};

function site(t: ExecutionContext, settings?: Record<string, unknown>): Site {
	const home = temporaryDirectory('sedai-settings-');
	t.teardown(() => {
		removeTree(home);
	});
	const clinic = path.join(home, 'clinic');
	const xray = path.join(home, 'xray');
	fs.mkdirSync(clinic);
	fs.mkdirSync(xray);
	const file = path.join(home, 'settings.json');
	if (settings) {
		fs.writeFileSync(file, JSON.stringify(settings, undefined, '\t'));
	}

	return {home, clinic, xray, store: new SettingsStore(home), file};
}

function badConfig(t: ExecutionContext, run: () => unknown, pattern: RegExp): void {
	const error = t.throws(run);
	t.true(isSedaiError(error) && error.code === 'bad-config', String(error));
	t.regex(error?.message ?? '', pattern);
	t.false(error?.message.includes('\n'), 'one sentence on one line');
}

test('a missing file reads as the defaults and is not created by reading', t => {
	const {store, file} = site(t);
	t.deepEqual(store.get(), defaultSettings());
	t.false(fs.existsSync(file));
});

test('partial sections take the other fields from the defaults; a target\'s partial retention from the site\'s', t => {
	const {store} = site(t, {
		retention: {daily: 3},
		compliance: {drillWithinDays: 30},
		sentinel: {entropyBitsPerByte: 7.9},
		targets: [{name: 'NAS', kind: 'folder', path: '/mnt/nas/sedai', retention: {keepLast: 9}}],
	});
	const settings = store.get();
	const defaults = defaultSettings();
	t.deepEqual(settings.retention, {...defaults.retention, daily: 3});
	t.deepEqual(settings.compliance, {...defaults.compliance, drillWithinDays: 30});
	t.deepEqual(settings.sentinel, {...defaults.sentinel, entropyBitsPerByte: 7.9});
	t.deepEqual(settings.targets[0]?.retention, {...defaults.retention, daily: 3, keepLast: 9});
});

test('saving targets read back keeps a target\'s partial retention partial in the file', t => {
	const {store, file} = site(t, {targets: [{name: 'NAS', kind: 'folder', path: '/mnt/nas/sedai', retention: {keepLast: 9}}]});
	// What the Settings view does when a target is added: the targets as read, plus the new one.
	store.update({targets: [...store.get().targets, {name: 'RDX-A', kind: 'cartridge', label: 'RDX-A'}]});
	const written = JSON.parse(fs.readFileSync(file, 'utf8')) as {targets: unknown[]};
	t.deepEqual(written.targets, [{name: 'NAS', kind: 'folder', path: '/mnt/nas/sedai', retention: {keepLast: 9}}, {name: 'RDX-A', kind: 'cartridge', label: 'RDX-A'}]);
	store.update({retention: {...defaultSettings().retention, daily: 5}});
	t.is(store.get().targets[0]?.retention?.daily, 5, 'the NAS still follows the site\'s daily');
});

test('reading a bad file names the file, the field and the bad value', t => {
	const {store, file} = site(t, {retension: {daily: 3}});
	badConfig(t, () => store.get(), new RegExp(String.raw`^The settings file ${file} is not valid: retension: unknown setting "retension": did you mean "retention"\? Correct its spelling or remove it .*\. Fix it there`));
	const nested = site(t, {targets: [{name: 'NAS', kind: 'folder', path: '/mnt/nas', retenton: {}}]});
	badConfig(t, () => nested.store.get(), /targets\[0]\.retenton: unknown setting "retenton": did you mean "retention"\?/);
	const far = site(t, {retention: {dayly: 3, hourly: 1}});
	badConfig(t, () => far.store.get(), /retention\.dayly: unknown setting "dayly": did you mean "daily"\?/);
	const unlike = site(t, {backupEverything: true});
	badConfig(t, () => unlike.store.get(), /backupEverything: unknown setting "backupEverything": remove it or correct its spelling \(known here: site, language, sources/);
	const broken = site(t);
	fs.writeFileSync(broken.file, '{"site": "Sakura",');
	badConfig(t, () => broken.store.get(), /^The settings file .*settings\.json is not valid \(.*JSON.*\): fix it/);
});

test('a source that went missing does not make the file unreadable: the backup reports it', t => {
	const {store, clinic} = site(t);
	store.update({sources: [clinic]});
	fs.rmSync(clinic, {recursive: true});
	t.deepEqual(store.get().sources, [clinic]);
	// And changing something else is still possible.
	store.update({site: 'Sakura'});
	t.is(store.get().site, 'Sakura');
});

/** Each rejected change: the sentence, and the file byte for byte as it was. */
const rejections: Array<[string, (site: Site) => Partial<SiteSettings>, RegExp]> = [
	['a relative source', () => ({sources: ['ehr/data']}), /sources\[0]: "ehr\/data" is not an absolute path: give the full path/],
	['a source that does not exist', s => ({sources: [path.join(s.home, 'nope')]}), /sources\[0]: ".*nope" does not exist/],
	['the same source twice', s => ({sources: [s.clinic, `${s.clinic}/`]}), /sources\[1]: ".*clinic\/" is already listed as sources\[0]/],
	['a source inside another', s => ({sources: [s.home, s.clinic]}), /sources\[1]: ".*clinic" is inside sources\[0]/],
	['a source containing another', s => ({sources: [s.clinic, s.home]}), /sources\[1]: ".*" contains sources\[0]/],
	['a relative scratch folder', () => ({scratch: 'restore'}), /scratch: "restore" is not an absolute path/],
	['the scratch folder inside a source', s => ({sources: [s.clinic], scratch: path.join(s.clinic, 'restore')}), /scratch: ".*clinic\/restore" is inside sources\[0] ".*clinic", so a test restore would write into the clinic's data: choose/],
	['the scratch folder reached through a symlink into a source', s => {
		fs.symlinkSync(s.clinic, path.join(s.home, 'link'));
		return {sources: [s.clinic], scratch: path.join(s.home, 'link', 'restore')};
	}, /scratch: ".*link\/restore" is inside sources\[0]/],
	['the scratch folder containing a source', s => ({sources: [s.clinic], scratch: s.home}), /scratch: ".*" contains sources\[0]/],
	['the scratch folder inside a plan\'s source', s => ({targets: [{name: 'A', kind: 'cartridge'}], plans: [{name: 'p', sources: [s.xray], targets: ['A']}], scratch: s.xray}), /scratch: .* is inside plans\[0]\.sources\[0]/],
	['the scratch folder inside a folder target\'s repository', s => ({targets: [{name: 'NAS', kind: 'folder', path: s.xray}], scratch: path.join(s.xray, 'r')}), /scratch: .* is inside the repository of targets\[0] \(NAS\)/],
	['an empty target name', () => ({targets: [{name: ' ', kind: 'cartridge'}]}), /targets\[0]\.name: the name is empty/],
	['two targets of one name', () => ({targets: [{name: 'A', kind: 'cartridge'}, {name: 'A', kind: 'folder', path: '/mnt/a'}]}), /targets\[1]\.name: "A" is already the name of another target/],
	['a folder target without a path', () => ({targets: [{name: 'NAS', kind: 'folder'}]}), /targets\[0]\.path: the folder target "NAS" has no path: give its repository folder's full path/],
	['a folder target with a relative path', () => ({targets: [{name: 'NAS', kind: 'folder', path: 'nas'}]}), /targets\[0]\.path: "nas" is not an absolute path/],
	['an unknown target kind', () => ({targets: [{name: 'T', kind: 'tape' as never}]}), /targets\[0]\.kind: "tape" is not allowed: use one of "cartridge", "folder"/],
	['two plans of one name', () => ({targets: [{name: 'A', kind: 'cartridge'}], plans: [{name: 'p', targets: ['A']}, {name: 'p', targets: ['A']}]}), /plans\[1]\.name: "p" is already the name of another plan/],
	['a plan naming a target that does not exist', () => ({targets: [{name: 'A', kind: 'cartridge'}], plans: [{name: 'p', targets: ['A', 'B']}]}), /plans\[0]\.targets\[1]: "B" is not a target: add it under targets, or use one of "A"/],
	['a plan with no targets', () => ({plans: [{name: 'p', targets: []}]}), /plans\[0]\.targets: the plan "p" has no targets/],
	['a folder in the rotation', () => ({targets: [{name: 'NAS', kind: 'folder', path: '/mnt/nas'}], rotation: ['NAS']}), /rotation\[0]: "NAS" is not a cartridge target/],
	['a relative passphrase file', () => ({passphraseFile: 'pass.txt'}), /passphraseFile: "pass\.txt" is not an absolute path/],
	['an unknown language', () => ({language: 'fr' as never}), /language: "fr" is not allowed: use one of "auto", "en", "ja"/],
	['a negative retention', () => ({retention: {...defaultSettings().retention, daily: -1}}), /retention\.daily: -1 is not allowed: use a whole number from 0 to 10000/],
	['a fractional count', () => ({compliance: {...defaultSettings().compliance, minGenerations: 2.5}}), /compliance\.minGenerations: 2\.5 is not allowed: use a whole number/],
	['a share above 1', () => ({sentinel: {...defaultSettings().sentinel, changedShare: 1.5}}), /sentinel\.changedShare: 1\.5 is not allowed: use a number from 0 to 1/],
	['a target retention out of range', () => ({targets: [{name: 'A', kind: 'cartridge', retention: {...defaultSettings().retention, yearly: 20_000}}]}), /targets\[0]\.retention\.yearly: 20000 is not allowed/],
	['an unknown key', () => {
		const typo = {retension: {daily: 3}};
		return typo as Partial<SiteSettings>;
	}, /retension: unknown setting "retension": did you mean "retention"\?/],
];

for (const [what, change, pattern] of rejections) {
	test(`refused, and nothing saved: ${what}`, t => {
		const s = site(t);
		s.store.update({site: 'Sakura', sources: [s.clinic]});
		const before = fs.readFileSync(s.file);
		badConfig(t, () => {
			s.store.update(change(s));
		}, new RegExp(`^The change was not saved: ${pattern.source}`));
		t.deepEqual(fs.readFileSync(s.file), before, 'settings.json is byte-identical');
		t.is(s.store.get().site, 'Sakura');
	});
}

test('set() and unset() check the whole would-be file too', t => {
	const s = site(t);
	s.store.update({sources: [s.clinic], passphraseFile: '/root/sedai-pass'});
	const before = fs.readFileSync(s.file);
	badConfig(t, () => {
		s.store.set('scratch', s.clinic);
	}, /^The change was not saved: scratch: .* is inside sources\[0]/);
	t.deepEqual(fs.readFileSync(s.file), before);
	s.store.unset('passphraseFile');
	t.is(s.store.get().passphraseFile, undefined);
});

test('a change to a file with a typo is refused until the typo is fixed', t => {
	const {store, file} = site(t, {retension: {daily: 3}});
	const before = fs.readFileSync(file);
	badConfig(t, () => {
		store.update({site: 'Sakura'});
	}, /^The change was not saved: retension: unknown setting/);
	t.deepEqual(fs.readFileSync(file), before);
});
