import test from 'ava';
import {lastValues, sparkline} from '../../source/text/sparkline.js';
import {textWidth} from '../../source/text/format.js';

test('one column per drill, its height from zero to the slowest', t => {
	t.is(sparkline([0, 35, 70], true), '▁▅█');
	t.is(sparkline([10, 20, 40, 80], true), '▂▃▅█');
});

test('ASCII fallback for LANG=C and vt100: same heights, plain characters', t => {
	const line = sparkline([0, 35, 70], false);
	t.is(line, '_=#');
	t.regex(sparkline([1, 2, 3, 4, 5, 6, 7, 8, 9], false), /^[\u0020-\u007E]+$/);
});

test('every drill keeps its column: zero, missing or all-equal values stay on the floor or full', t => {
	t.is(sparkline([0, 0], true), '▁▁');
	t.is(sparkline([Number.NaN, 4], true), '▁█');
	t.is(sparkline([5, 5, 5], true), '███');
	t.is(textWidth(sparkline([1, 2, 3, 4, 5], true)), 5);
	t.is(sparkline([], true), '');
});

test('the newest values that fit, oldest first', t => {
	t.deepEqual(lastValues([1, 2, 3, 4, 5], 3), [3, 4, 5]);
	t.deepEqual(lastValues([1, 2], 5), [1, 2]);
	t.deepEqual(lastValues([1, 2], 0), []);
});
