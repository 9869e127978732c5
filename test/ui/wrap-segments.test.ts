import test from 'ava';
import {wrapAll, wrapSegments} from '../../source/ui/components/wrap-segments.js';
import {textWidth} from '../../source/text/format.js';
import type {Segment} from '../../source/ui/components/row.js';

const text = (line: Segment[]) => line.map(segment => segment.text).join('');

test('a detail line longer than the pane wraps at spaces instead of being cut, nothing lost', t => {
	const line: Segment[] = [{text: 'Restored RDX-A generation #12 5f3a9c1e (sealed 2026-12-01 22:20) from the newest clean backup'}];
	const lines = wrapSegments(line, 62);
	t.true(lines.length > 1);
	t.true(lines.every(item => textWidth(text(item)) <= 62));
	t.is(lines.map(item => text(item)).join(' '), text(line));
	t.true(lines.some(item => text(item).includes('22:20)')), 'the time is whole');
});

test('a path longer than the line is cut where the line ends and goes on below', t => {
	const path = '/var/tmp/sedai-scratch/20261201-222000-RDX-A/clinic/databases/ehr.sql';
	const lines = wrapSegments([{text: 'Report: ', color: 'muted'}, {text: path, color: 'accent'}], 30);
	t.true(lines.every(item => textWidth(text(item)) <= 30));
	t.is(lines.map(item => text(item)).join(''), `Report: ${path}`);
	// Each piece keeps its segment's colour.
	t.true(lines.flat().filter(segment => segment.text.includes('sedai')).every(segment => segment.color === 'accent'));
});

test('Japanese (no spaces, two columns a character) wraps by width', t => {
	const line: Segment[] = [{text: '復元したコピーが作業フォルダに残っています。患者データを含むため削除してください。'}];
	const lines = wrapSegments(line, 20);
	t.true(lines.length >= 4);
	t.true(lines.every(item => textWidth(text(item)) <= 20));
	t.is(lines.map(item => text(item)).join(''), line[0].text);
});

test('without Unicode the text is spelled in ASCII before it is measured', t => {
	const lines = wrapSegments([{text: 'RTO 5.0 s–6.2 s → newest … done'}], 80, false);
	t.is(text(lines[0]), 'RTO 5.0 s-6.2 s -> newest ... done');
});

test('lines that fit stay as they are; an empty line stays a line', t => {
	t.deepEqual(wrapAll([[{text: 'short', bold: true}], [{text: ''}]], 40), [[{text: 'short', bold: true}], [{text: ''}]]);
});
