import test from 'ava';
import {textWidth, truncateMiddle} from '../../source/text/format.js';
import {labelColumn} from '../../source/ui/components/row.js';

/** Medium labels shortened for a narrow column stay distinct: both ends are kept. */
test('labels that differ at the end stay distinct when shortened', t => {
	const labels = ['RDX-CLINIC-A', 'RDX-CLINIC-B', 'RDX-CLINIC-C'];
	for (const width of [5, 6, 9]) {
		const short = labels.map(label => truncateMiddle(label, width));
		t.is(new Set(short).size, labels.length, `width ${width}: ${short.join(', ')}`);
		t.true(short.every(text => textWidth(text) <= width));
	}

	t.is(truncateMiddle('RDX-CLINIC-A', 7), 'RDX…C-A');
	t.is(truncateMiddle('NAS', 5), 'NAS', 'a label that fits is left alone');
});

test('Japanese labels are cut by columns, never wider than asked', t => {
	const short = ['診療所カートリッジ一', '診療所カートリッジ二'].map(label => truncateMiddle(label, 9));
	t.not(short[0], short[1]);
	t.true(short.every(text => textWidth(text) <= 9), short.join(', '));
});

test('a label column is exactly its width, with a space before the next column', t => {
	t.is(labelColumn('RDX-CLINIC-B', 6), 'RD…-B ');
	t.is(labelColumn('NAS', 6), 'NAS   ');
});
