import test from 'ava';
import {parseDrillReport} from '../../source/report/parse-drill-report.js';
import {renderJson} from '../../source/report/render-json.js';
import {fixtureReport} from './drill-report-fixture.js';

test('a report written by renderJson reads back equal', t => {
	const report = fixtureReport();
	t.deepEqual(parseDrillReport(renderJson(report)), report);
});

test('a damaged, foreign or newer report is refused with one sentence', t => {
	t.throws(() => parseDrillReport('{"version": 1, "site": '), {name: 'SedaiError', message: 'The drill report is not valid JSON: it is damaged or not a Sedai drill report.'});
	t.throws(() => parseDrillReport(JSON.stringify({...fixtureReport(), version: 2}), 'drill-2026-12-01.json'), {message: 'drill-2026-12-01.json has schema version 2, which this Sedai cannot read: update Sedai.'});
	const broken = fixtureReport() as unknown as {generation: {seq: unknown}};
	broken.generation.seq = 'forty-two';
	t.throws(() => parseDrillReport(JSON.stringify(broken)), {name: 'SedaiError', message: /^The drill report is not a valid drill report \(generation\.seq: /});
});
