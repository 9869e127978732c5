import test from 'ava';
import {rtoSeconds} from '../../source/core/policy/compliance.js';

test('a sub-second restore time reads in tenths, never "0 s"; long ones in whole seconds', t => {
	t.is(rtoSeconds(420), '0.4');
	t.is(rtoSeconds(9940), '9.9');
	t.is(rtoSeconds(120_000), '120');
});
