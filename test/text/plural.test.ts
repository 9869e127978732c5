import test from 'ava';
import {fillTemplate, plural} from '../../source/text/plural.js';
import {translator} from '../../source/ui/i18n/i18n.js';

test('plural: one for exactly 1, the other form for 0, 2 and more', t => {
	t.is(plural(1, 'item', 'items'), 'item');
	t.is(plural(0, 'item', 'items'), 'items');
	t.is(plural(2, 'item', 'items'), 'items');
});

test('fillTemplate: {name} is filled, {name|one|other} picks the form by the number', t => {
	t.is(fillTemplate('{count} {count|item|items}', {count: 1}), '1 item');
	t.is(fillTemplate('{count} {count|item|items}', {count: 3}), '3 items');
	t.is(fillTemplate('{count} {count|item|items}', {count: '1'}), '1 item', 'a number already formatted as text');
	t.is(fillTemplate('{missing} stays', {}), '{missing} stays');
});

test('the English catalog says 1 item, 1 generation, 1 file; 2 of each in the plural', t => {
	const en = translator('en');
	t.is(en('browse.items', {count: 1}), '1 item');
	t.is(en('browse.items', {count: 2}), '2 items');
	t.is(en('drive.generations', {count: 1}), '1 generation');
	t.is(en('drive.generations', {count: 10}), '10 generations');
	t.is(en('gen.summary', {count: 1, media: 1, offline: 0}), '1 generation on 1 medium (0 offline)');
	t.is(en('verify.damagedFiles', {count: 1}), '1 damaged file');
	t.is(en('verify.bad', {label: 'NAS', problems: 1, generations: 2}), 'NAS: 1 problem, 2 damaged generations');
});

test('the Japanese catalog has no English plural forms left in it and no key missing', t => {
	const ja = translator('ja');
	t.notRegex(ja('browse.items', {count: 1}), /\|/);
	t.notRegex(ja('drive.generations', {count: 1}), /items|generations|\|/);
});
