import test from 'ava';
import {isSedaiError} from '../../source/core/errors.js';
import {selectRetention, validatePolicy, type RetainableGeneration, type RetentionRule} from '../../source/core/policy/retention.js';
import {defaultSettings} from '../../source/settings/schema.js';
import {denseExpected, denseHistory, sparseExpected, sparseHistory} from './helpers/history.js';

const policy = defaultSettings().retention;

function generationsOf(times: string[]): RetainableGeneration[] {
	return times.map((time, i) => ({id: `g${String(i + 1).padStart(3, '0')}`, seq: i + 1, time}));
}

function keptRules(times: string[], suspect: string[] = [], retention = policy): Map<string, RetentionRule[]> {
	const generations = generationsOf(times).map(generation => ({...generation, suspect: suspect.includes(generation.time)}));
	const plan = selectRetention(generations, retention, {utcOffsetMinutes: 0});
	t_assertPartition(plan.keep.length + plan.remove.length, generations.length);
	return new Map(plan.decisions.filter(decision => decision.keep).map(decision => [decision.generation.time, decision.reasons.map(reason => reason.rule)]));
}

function t_assertPartition(total: number, expected: number): void {
	if (total !== expected) {
		throw new Error(`keep + remove = ${total}, expected ${expected}`);
	}
}

for (const [name, history, expected] of [['dense (daily)', denseHistory(), denseExpected], ['sparse (weekly, then daily)', sparseHistory(), sparseExpected]] as const) {
	test(`400-day ${name} history: each rule keeps exactly the newest generation of each of its buckets`, t => {
		const times = history;
		t.true(Date.parse(times.at(-1)!) - Date.parse(times[0]) >= 399 * 86_400_000, 'the history spans 400 days');
		const kept = keptRules(times);
		t.deepEqual(Object.fromEntries([...kept].map(([time, rules]) => [time, [...rules].sort()])), Object.fromEntries(Object.entries(expected).map(([time, rules]) => [time, [...rules].sort()])));
		t.is(kept.size, 20);
	});
}

test('shuffled input gives the same selection, newest first, with rank and bucket on each reason', t => {
	const times = denseHistory();
	const generations = generationsOf(times);
	const scramble = (seq: number) => (seq * 7919) % 13;
	const shuffled = [...generations].sort((a, b) => scramble(a.seq) - scramble(b.seq) || b.seq - a.seq);
	const plan = selectRetention(shuffled, policy, {utcOffsetMinutes: 0});
	t.is(plan.decisions[0].generation.time, '2026-02-04T13:00:00.000Z');
	t.deepEqual(plan.decisions.map(decision => decision.generation.seq), generations.map(generation => generation.seq).reverse());
	const weekly = plan.decisions.flatMap(decision => decision.reasons.filter(reason => reason.rule === 'weekly').map(reason => `${reason.rank}/${reason.of} ${reason.bucket}`));
	t.deepEqual(weekly, ['1/4 2026-W06', '2/4 2026-W05', '3/4 2026-W04', '4/4 2026-W03']);
});

test('expiry: the earliest day a kept generation could go if daily backups continue', t => {
	const plan = selectRetention(generationsOf(denseHistory()), policy, {utcOffsetMinutes: 0});
	const expires = new Map(plan.decisions.map(decision => [decision.generation.time, decision.expires]));
	// Daily 7/7 (2026-01-26) drops out once one more day has a backup.
	t.is(expires.get('2026-01-26T01:00:00.000Z'), '2026-02-05T00:00:00.000Z');
	// Weekly 4/4 (W03) once the week of 2026-02-09 begins.
	t.is(expires.get('2026-01-18T01:00:00.000Z'), '2026-02-09T00:00:00.000Z');
	// Monthly 12/12 (2025-03) once March 2026 begins.
	t.is(expires.get('2025-03-31T01:00:00.000Z'), '2026-03-01T00:00:00.000Z');
	// Kept by a rule with no end date (newest clean, guideline minimum): no expiry.
	t.is(expires.get('2026-02-04T13:00:00.000Z'), undefined);
	t.false(plan.decisions.some(decision => !decision.keep && decision.expires));
});

test('expiry per rule: the newest generation holds its week, month and year only until tomorrow\'s backup', t => {
	// 2026-02-04 is a Wednesday: tomorrow's backup becomes the week's, the month's and the year's newest.
	const plan = selectRetention(generationsOf(denseHistory()), policy, {utcOffsetMinutes: 0});
	const newest = plan.decisions[0];
	const by = Object.fromEntries(newest.reasons.map(reason => [reason.rule, reason.expires]));
	t.is(by['daily'], '2026-02-11T00:00:00.000Z');
	t.is(by['weekly'], '2026-02-05T00:00:00.000Z');
	t.is(by['monthly'], '2026-02-05T00:00:00.000Z');
	t.is(by['yearly'], '2026-02-05T00:00:00.000Z');
	t.is(by['newest-clean'], undefined);

	// Newest on a Sunday, the last day of a week and of a month: it stays that week's and month's.
	const sunday = selectRetention(generationsOf(['2026-05-29T01:00:00.000Z', '2026-05-30T01:00:00.000Z', '2026-05-31T01:00:00.000Z']), policy, {utcOffsetMinutes: 0});
	const rules = Object.fromEntries(sunday.decisions[0].reasons.map(reason => [reason.rule, reason.expires]));
	t.is(rules['weekly'], '2026-06-22T00:00:00.000Z', 'four more weeks must begin');
	t.is(rules['monthly'], '2027-05-01T00:00:00.000Z', 'twelve more months must begin');
	t.is(rules['yearly'], '2026-06-01T00:00:00.000Z', 'but June\'s backups take over the year');
});

test('local time decides the day: 23:30 UTC is the next day in Japan', t => {
	const times = ['2026-02-01T23:30:00.000Z', '2026-02-02T10:00:00.000Z', '2026-02-02T22:00:00.000Z'];
	const policyDaily = {keepLast: 0, daily: 3, weekly: 0, monthly: 0, yearly: 0};
	const utc = selectRetention(generationsOf(times), policyDaily, {utcOffsetMinutes: 0});
	const tokyo = selectRetention(generationsOf(times), policyDaily, {utcOffsetMinutes: 540});
	const buckets = (plan: typeof utc) => plan.decisions.flatMap(decision => decision.reasons.filter(reason => reason.rule === 'daily').map(reason => reason.bucket));
	t.deepEqual(buckets(utc), ['2026-02-02', '2026-02-01']);
	t.deepEqual(buckets(tokyo), ['2026-02-03', '2026-02-02']);
});

test('a policy keeping fewer than 3 generations is refused, naming the guideline', t => {
	for (const weak of [
		{keepLast: 1, daily: 2, weekly: 0, monthly: 0, yearly: 0},
		{keepLast: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0},
		{keepLast: 2, daily: 2, weekly: 2, monthly: 2, yearly: 2},
	]) {
		const error = t.throws(() => {
			validatePolicy(weak);
		});
		t.true(isSedaiError(error));
		t.is((error as {code?: string}).code, 'policy');
		t.regex(error.message, /医療情報システムの安全管理に関するガイドライン」第6\.0版/);
		t.regex(error.message, /at least 3 generations/);
		t.throws(() => selectRetention(generationsOf(denseHistory()), weak), {message: /ガイドライン/});
	}

	t.notThrows(() => {
		validatePolicy({keepLast: 0, daily: 0, weekly: 0, monthly: 3, yearly: 0});
	});
	t.throws(() => {
		validatePolicy({...policy, daily: -1});
	}, {message: /daily is -1/});
	// A site may ask for more than the guideline's floor.
	t.throws(() => {
		validatePolicy({keepLast: 4, daily: 0, weekly: 0, monthly: 0, yearly: 0}, 5);
	}, {message: /at least 5 generations/});
});

test('the newest 3 stay even when every generation falls on one day', t => {
	const times = Array.from({length: 10}, (_, i) => new Date(Date.UTC(2026, 1, 4, i)).toISOString());
	const plan = selectRetention(generationsOf(times), {keepLast: 0, daily: 7, weekly: 4, monthly: 12, yearly: 3}, {utcOffsetMinutes: 0});
	t.deepEqual(plan.keep.map(generation => generation.seq), [10, 9, 8]);
	t.deepEqual(plan.decisions[1].reasons.map(reason => reason.rule), ['guideline-minimum']);
});

test('while a suspect generation exists, the last clean ones before it are kept and the newest clean is never pruned', t => {
	const times = denseHistory();
	// The attack began on 2026-02-02: everything from then on is suspect.
	const suspect = times.filter(time => time >= '2026-02-02');
	const small = {keepLast: 3, daily: 3, weekly: 0, monthly: 0, yearly: 0};
	const kept = keptRules(times, suspect, small);
	t.deepEqual(kept.get('2026-02-01T01:00:00.000Z')?.sort(), ['clean-before-suspect', 'newest-clean']);
	t.deepEqual(kept.get('2026-01-31T01:00:00.000Z'), ['clean-before-suspect']);
	t.deepEqual(kept.get('2026-01-27T01:00:00.000Z'), ['clean-before-suspect'], 'the gap days have no generation; the next clean one counts');
	t.false(kept.has('2026-01-26T01:00:00.000Z'));
	// Without the suspects, the same policy keeps only the last three days.
	const calm = keptRules(times, [], small);
	t.false(calm.has('2026-02-01T01:00:00.000Z'));
	t.is(calm.size, 4);
});
