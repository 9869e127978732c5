import fs from 'node:fs/promises';
import test from 'ava';
import {SedaiError, describeIoError} from '../../source/core/errors.js';
import type {Message} from '../../source/core/message.js';
import {evaluateCompliance, type ComplianceFacts} from '../../source/core/policy/compliance.js';
import type {MediumFacts} from '../../source/core/policy/media.js';
import {rotationStatus} from '../../source/core/policy/rotation.js';
import {defaultSettings} from '../../source/settings/schema.js';
import type {GenerationSummary, ProtectionState} from '../../source/settings/state.js';
import {assessSmart, smartFromOutput} from '../../source/system/smart.js';
import {en} from '../../source/text/messages/en.js';
import {ja} from '../../source/text/messages/ja.js';
import {isMessageCode, renderMessage} from '../../source/text/messages/render.js';

/**
 * Every code has both languages with the same parameters, and every message the engine really
 * produces (compliance over varied sites, rotation, SMART verdicts, I/O errors) renders in both
 * with every placeholder filled. The scenarios together must produce every compliance, rotation
 * and SMART code: a code no call site produces, or one produced without a parameter its text
 * needs, fails here.
 */
const placeholders = (template: string) => [...template.matchAll(/{\^?(\w+)}/g)].map(match => match[1]).sort();

test('en and ja have the same codes, and each code the same parameters', t => {
	t.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
	for (const [code, template] of Object.entries(en)) {
		t.deepEqual(placeholders(ja[code as keyof typeof ja]), placeholders(template), code);
	}
});

test('Japanese text is Japanese, not a copy of the English', t => {
	// Pure structure: a list, a quoted place, a path in parentheses.
	const structural = new Set(['list.all', 'list.sentences', 'place.other', 'error.where', 'compliance.write-protected.unprotectedOn', 'report.drives.smart']);
	for (const [code, template] of Object.entries(en).filter(([code]) => !structural.has(code))) {
		t.not(ja[code as keyof typeof ja], template, code);
		t.regex(ja[code as keyof typeof ja], /[\u3040-\u30FF\u4E00-\u9FFF]/, code);
	}
});

const dayMs = 86_400_000;
const now = new Date('2026-02-05T09:00:00Z');
const ago = (days: number) => new Date(now.getTime() - (days * dayMs)).toISOString();

function generations(prefix: string, days: number[], protection?: ProtectionState | ((index: number) => ProtectionState | undefined)): GenerationSummary[] {
	return days.map((days, i) => {
		const state = typeof protection === 'function' ? protection(i) : protection;
		return {
			id: `${prefix}${i}`.padEnd(64, '0'),
			shortId: `${prefix}${i}`.padEnd(8, '0'),
			seq: i + 1,
			time: ago(days),
			files: 10,
			bytes: 100,
			newBytes: 1,
			storedBytes: 1,
			suspect: i === 0,
			...(state ? {protection: state} : {}),
			...(state === 'none' ? {protectionNote: 'exFAT has no immutable flag'} : {}),
		};
	});
}

function medium(label: string, facts: Partial<MediumFacts> & Pick<MediumFacts, 'generations'>): MediumFacts {
	return {id: label.padEnd(32, 'x'), label, encrypted: true, firstSeen: ago(2000), lastSeen: ago(0), lastPath: `/mnt/${label}`, present: true, ...facts};
}

const targets = [
	{name: 'RDX-A', kind: 'cartridge' as const, label: 'RDX-A'},
	{name: 'RDX-B', kind: 'cartridge' as const, label: 'RDX-B'},
	{name: 'NAS', kind: 'folder' as const, path: '/mnt/NAS'},
];

/** A site where almost everything is wrong in a different way. */
function troubled(): ComplianceFacts {
	const media = [
		// Old history then nothing for years, then two days: every tier has gaps.
		medium('RDX-A', {encrypted: false, removable: true, generations: generations('aa', [1300, 0, 1, 2, 3], index => (['none', 'immutable', 'read-only', undefined, 'offline'] as const)[index])}),
		medium('RDX-B', {present: false, offlineSince: ago(1), offlineReason: 'ejected', generations: generations('bb', [2, 3, 4])}),
		medium('OLD', {present: false, generations: generations('oo', [40, 41, 42])}),
		medium('LOST', {present: false, offlineSince: ago(20), offlineReason: 'disappeared', removable: true, generations: generations('ll', [21])}),
		medium('NAS', {encrypted: false, generations: generations('nn', [0])}),
		// Confirmed as stored away a month ago, never verified; a share that is not mounted; a switch on.
		medium('SHELF', {present: false, offlineSince: ago(30), offlineReason: 'stored', removable: true, generations: generations('ss', [25, 26, 27])}),
		medium('SHARE', {present: false, removable: false, generations: generations('sh', [5])}),
		medium('LOCKED', {hardwareWriteProtected: true, removable: true, generations: generations('lk', [3, 4, 5], 'none')}),
	];
	const verification = (label: string, days: number, problems: number) => ({repositoryId: label.padEnd(32, 'x'), label, level: 'full' as const, ok: problems === 0, time: ago(days), durationMs: 1, problems, bytesRead: 1});
	const drill = (days: number, ok: boolean) => ({repositoryId: 'RDX-A'.padEnd(32, 'x'), label: 'RDX-A', generation: 'a'.repeat(64), generationTime: ago(days + 1), time: ago(days), ok, files: 10, bytes: 100, restoreMs: 61_000, verifyMs: 1000, into: '/scratch', mismatches: ok ? 0 : 2});
	return {
		now,
		utcOffsetMinutes: 0,
		settings: {...defaultSettings(), targets, rotation: ['RDX-A', 'RDX-B']},
		media,
		verifications: [verification('RDX-B', 1, 2), verification('NAS', 40, 0), verification('LOST', 0, 0)],
		drills: [drill(3, true), drill(0, false)],
	};
}

/** Few generations on one medium, one failing verification, only an old passed drill. */
function young(): ComplianceFacts {
	return {
		now,
		utcOffsetMinutes: 0,
		settings: {...defaultSettings(), targets, rotation: ['RDX-A', 'RDX-B']},
		media: [medium('RDX-A', {removable: true, generations: generations('aa', [0, 1])})],
		verifications: [],
		drills: [{repositoryId: 'x', label: 'RDX-A', generation: 'a'.repeat(64), generationTime: ago(201), time: ago(200), ok: true, files: 1, bytes: 1, restoreMs: 1000, verifyMs: 1, into: '/s', mismatches: 0}],
	};
}

/** Backups stopped long ago: every retention tier has a gap. */
function lapsed(): ComplianceFacts {
	return {now, utcOffsetMinutes: 0, settings: {...defaultSettings(), targets}, media: [medium('RDX-A', {generations: generations('aa', [1300, 1299, 1298, 400], index => (['immutable', 'read-only'] as const)[index])})], verifications: [], drills: []};
}

/** An ejected cartridge, cleanly verified: the offline copy that counts. */
function shelved(): ComplianceFacts {
	return {
		now,
		settings: {...defaultSettings(), targets},
		media: [medium('SAFE', {present: false, offlineSince: ago(1), offlineReason: 'ejected', removable: true, generations: generations('sf', [2])})],
		verifications: [{repositoryId: 'SAFE'.padEnd(32, 'x'), label: 'SAFE', level: 'full', ok: true, time: ago(1), durationMs: 1, problems: 0, bytesRead: 1}],
		drills: [],
	};
}

function empty(): ComplianceFacts {
	return {now, settings: {...defaultSettings(), targets}, media: [], verifications: [], drills: []};
}

function rotations(): Message[] {
	const online = (label: string, days: number) => medium(label, {generations: generations(label, [days])});
	const offline = (label: string, days: number) => medium(label, {present: false, offlineSince: ago(days), generations: generations(label, [days])});
	const three = ['A', 'B', 'C'].map(name => ({name, kind: 'cartridge' as const, label: name}));
	return [
		// B has the newest and is connected, A is connected too, C is due but unknown.
		...rotationStatus(['A', 'B', 'C'], three, [online('A', 5), online('B', 0)]).advice,
		// B is due, known and offline.
		...rotationStatus(['A', 'B'], three, [offline('A', 0), offline('B', 5)]).advice,
		// B is due and connected.
		...rotationStatus(['A', 'B'], three, [offline('A', 0), online('B', 5)]).advice,
		// A has the newest, but its drive says SMART FAILING: replace it.
		...rotationStatus(['A', 'B'], three, [{...online('A', 0), lastSmart: {verdict: 'failing', time: ago(0)}}, offline('B', 5)]).advice,
	];
}

async function smartMessages(): Promise<Message[]> {
	const base = {failingAttributes: [], passed: true};
	const readings = [
		{...base, passed: false, failingAttributes: ['Reallocated_Sector_Ct'], reallocatedSectors: 150, pendingSectors: 12, lastSelfTestFailed: true, nvmeCriticalWarning: 4, nvmeSpareLow: true},
		{...base, reallocatedSectors: 3, pendingSectors: 2, offlineUncorrectable: 1, selfTestErrors: 1, nvmeMediaErrors: 2, nvmePercentageUsed: 104, errorLogCount: 7, temperatureC: 58},
		base,
		{failingAttributes: []},
	];
	const refs = readings.flatMap(reading => assessSmart(reading).reasonRefs ?? []);
	refs.push(...assessSmart({...base, reallocatedSectors: 9}, {reallocatedSectors: 4, pendingSectors: 0}).reasonRefs ?? []);
	const outputs = [
		'not json',
		{smartctl: {messages: [{string: 'Permission denied'}]}},
		{smartctl: {messages: [{string: 'Unknown USB bridge [0x1234:0x5678]'}]}},
		{smartctl: {messages: [{string: 'Unable to detect device type'}]}},
		{smartctl: {messages: [{string: 'Read Device Identity failed'}]}},
		{},
		JSON.parse(await fs.readFile(new URL('../fixtures/smartctl/failing-usb-hdd.json', import.meta.url), 'utf8')) as unknown,
	];
	for (const output of outputs) {
		const {smart} = smartFromOutput(output);
		refs.push(...(smart.reasonRefs ?? []), ...(smart.noteRef ? [smart.noteRef] : []));
	}

	return refs;
}

function errorMessages(): Message[] {
	const places = ['the repository "RDX-A" at /mnt/rdx/sedai', 'the repository at /mnt/rdx/sedai', 'the folder /srv/ehr', 'the restore into /scratch', 'the cartridge'];
	const codes = ['ENOSPC', 'EROFS', 'EACCES', 'EIO', 'ENOENT'];
	return places.flatMap(place => codes.map(code => {
		const error = describeIoError(Object.assign(new Error(code), {code, path: '/mnt/rdx/sedai/data/ab'}), place);
		return error instanceof SedaiError ? error.ref! : {code: 'not-translated'};
	}));
}

function codesIn(message: Message): Message[] {
	const nested = Object.values(message.params ?? {}).flatMap(value => (typeof value === 'object' ? [value].flat() : []));
	return [message, ...nested.flatMap(item => codesIn(item))];
}

function complianceMessages(facts: ComplianceFacts): Message[] {
	const report = evaluateCompliance(facts);
	return [...report.checks.flatMap(check => [check.title, check.requirement, ...check.evidence, ...(check.action ? [check.action] : [])]), ...report.rotation.advice];
}

test('every message the engine produces renders in both languages with no placeholder left', async t => {
	const produced = [
		...[troubled(), young(), lapsed(), shelved(), empty()].flatMap(facts => complianceMessages(facts)),
		...rotations(),
		...(await smartMessages()),
		...errorMessages(),
	];
	const seen = new Set<string>();
	for (const message of produced) {
		for (const part of codesIn(message)) {
			t.true(isMessageCode(part.code), `unknown code ${part.code}`);
			seen.add(part.code);
		}

		for (const language of ['en', 'ja'] as const) {
			const text = renderMessage(message, language);
			t.notRegex(text, /{\^?\w+}|undefined|\[object/, `${message.code} (${language}): ${text}`);
		}
	}

	// Said by the drive probes (a loop device, a hanging smartctl, demo bays), not run here.
	const probeOnly = new Set(['smart.loop', 'smart.timeout', 'smart.asleep', 'smart.demoNone', 'smart.demoMissing']);
	const engineCodes = Object.keys(en).filter(code => !probeOnly.has(code) && (/^(compliance|rotation|smart|age|medium|offline|protection|place|list)\./.test(code) || /^error\.(no-space|read-only|permission|io|missing-file|where)$/.test(code)));
	t.deepEqual(engineCodes.filter(code => !seen.has(code)), [], 'codes no scenario produced');
});

test('a real assessment reads as Japanese, with Japanese lists, ages and states', t => {
	const report = evaluateCompliance(troubled());
	const say = (message: Message) => renderMessage(message, 'ja');
	const writeProtected = report.checks.find(check => check.id === 'write-protected')!;
	t.true(writeProtected.evidence.map(line => say(line)).includes('"RDX-A": 3 番目に新しい世代以降 3 件: 不明 1 件、オフライン 1 件、保護なし 1 件。'));
	const offline = report.checks.find(check => check.id === 'offline-copy')!;
	t.true(offline.evidence.map(line => say(line)).includes(`"RDX-B": ${ago(1).slice(0, 10)} からオフライン (取り出し済み)、最新の世代 ${ago(2).slice(0, 10)} (2 日前)、最後の完全検証 (${ago(1).slice(0, 10)}) で 2 件の問題が見つかったため数えません。`), offline.evidence.map(line => say(line)).join('\n'));
	t.regex(renderMessage(report.checks.find(check => check.id === 'encrypted')!.action!, 'ja'), /^"RDX-A" の平文リポジトリを置き換えてください: /);
});

test('English keeps its sentence shapes: capitalised places, "and N more", sentences joined by a space', t => {
	const error = describeIoError(Object.assign(new Error('EROFS'), {code: 'EROFS'}), 'the folder /srv/ehr') as SedaiError;
	t.is(renderMessage(error.ref!, 'en'), error.message);
	t.is(renderMessage({code: 'list.more', params: {items: 'a, b', more: 3}}, 'en'), 'a, b and 3 more');
	t.is(renderMessage({code: 'list.sentences', params: {items: [{code: 'age.today'}, {code: 'age.today'}]}}, 'en'), 'today today');
	t.is(renderMessage({code: 'list.sentences', params: {items: [{code: 'age.today'}, {code: 'age.today'}]}}, 'ja'), '今日今日');
	t.is(renderMessage({code: 'no.such.code', params: {n: 1}}, 'ja'), 'no.such.code {"n":1}');
});
